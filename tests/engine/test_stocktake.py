"""Stocktaking: per-session prevalence on real General Debate years, counted again here; the trend rules
on real sentences placed in constructed sessions; the assessment's figures against the representation
tables; bad input at the CLI."""
from __future__ import annotations

import csv
import json
from collections import defaultdict

import pytest
from typer.testing import CliRunner

from rapporteur.analysis.stocktake import SessionInfo, classify, prevalence
from rapporteur.cli import app
from rapporteur.geography import member_states
from rapporteur.ingest import read_path
from rapporteur.model import Stakeholder, StakeholderType
from rapporteur.report import render_html_dict, render_markdown_dict
from rapporteur.schema import validate_synthesis
from rapporteur.synthesis import SynthesisOptions, stocktake

from .speeches import sentence_with

runner = CliRunner()
YEARS = (2016, 2018)
STATES = ("DEU", "MEX", "PHL", "NGA", "ITA", "USA", "HUN", "TUR", "BGD", "KEN", "GTM", "SWE", "LBN", "JOR",
          "NPL", "SEN", "MAR", "SLV", "FRA", "IDN")


@pytest.fixture(scope="module")
def corpus_and_document(ungdc_archive, minilm):
    corpus = read_path(ungdc_archive, years=YEARS)
    corpus.contributions = [c for c in corpus.contributions if c.id.split("_")[0] in STATES]
    options = SynthesisOptions(title="Migration 2016-2018", about="migration", learned=False)
    document = stocktake(corpus, options, by="year", embedder=minilm)
    return corpus, document


@pytest.mark.slow
def test_prevalence_per_year_is_what_the_points_say(corpus_and_document):
    corpus, document = corpus_and_document
    year_of = {c.id: c.date for c in corpus.contributions}
    speakers = defaultdict(set)
    for c in corpus.contributions:
        speakers[c.date].add(c.stakeholder.name)
    assert [s["id"] for s in document["sessions"]] == ["2016", "2017", "2018"]
    for s in document["sessions"]:
        assert s["stakeholders"] == len(speakers[s["id"]])
        assert s["contributions"] == sum(1 for c in corpus.contributions if c.date == s["id"])
    assert document["key_points"]
    for kp in document["key_points"]:
        counted = defaultdict(set)
        for p in kp["points"]:
            counted[year_of[p["contribution"]]].add(p["stakeholder"])
        for year, cell in kp["by_session"].items():
            assert cell["stakeholders"] == len(counted[year]), (kp["id"], year)
            assert cell["share"] == round(len(counted[year]) / len(speakers[year]), 4)
            assert {year_of[p["contribution"]] for p in kp["points"] if p["id"] in cell["point_ids"]} <= {year}
        assert kp["trend"] in ("held", "emerging", "fading", "session-specific", "recurring") and kp["trend_rule"]
    validate_synthesis(document)


@pytest.mark.slow
def test_the_assessment_figures_are_the_representation_tables(corpus_and_document):
    _, document = corpus_and_document
    cumulative = document["representation_by_session"]["cumulative"]
    weaknesses = document["assessment"]["weaknesses"]
    absent = [g["name"] for g in cumulative["subregions"] if g["flag"] == "absent"]
    absent_fact = next(f for f in weaknesses if f["rule"].startswith("a sub-region is absent"))
    assert absent_fact["figure"] == len(absent) and all(name in absent_fact["text"] for name in absent)
    for g in cumulative["subregions"]:
        if g["flag"] == "under-represented":
            fact = next(f for f in weaknesses if f["text"].startswith(g["name"] + ":"))
            assert fact["figure"] == g["coverage"]
    spoke = {p["country"] for p in document["representation_by_session"]["speakers"]}
    assert len(document["representation_by_session"]["never_spoke"]) == 193 - len(spoke & {c.iso3 for c in member_states()})
    strengths = document["assessment"]["strengths"]
    converging = next(f for f in strengths if "areas of convergence" in f["text"])
    assert converging["figure"] == round(len(document["convergence"]) / len(document["key_points"]), 4)
    for heading in ("strengths", "weaknesses", "opportunities", "threats"):
        for f in document["assessment"][heading]:
            assert f["rule"] and not f["edited"]


@pytest.mark.slow
def test_the_report_shows_sessions_trends_and_assessment(corpus_and_document):
    _, document = corpus_and_document
    html = render_html_dict(document)
    for needle in ('id="chart-stocktake-heatmap"', 'id="chart-stocktake-trend"', 'id="chart-stocktake-representation"',
                   "The process assessed", "Who took part where", ">2017<"):
        assert needle in html, needle
    md = render_markdown_dict(document)
    assert "## Across sessions" in md and "## The process assessed" in md and "### Weaknesses" in md


def _session(sid, date, names):
    return SessionInfo(sid, sid, date, len(names), [Stakeholder(n, StakeholderType.MEMBER_STATE) for n in names])


def _kp(kid, label, made_by):
    """A key point made in each session by the given speakers, quoting real 2017 sentences."""
    points = [{"id": f"{kid}-{sid}-{name}", "stakeholder": name, "session": sid, "text": label,
               "contribution": f"{name}-{sid}"} for sid, names in made_by.items() for name in names]
    return {"id": kid, "label": label, "points": points}


def test_trend_rules_on_constructed_sessions():
    speakers = [f"S{i}" for i in range(20)]
    sessions = [_session(y, y, speakers) for y in ("2014", "2015", "2016", "2017")]
    everyone, few = speakers[:12], speakers[:1]
    document = {"key_points": [
        _kp("held", sentence_with("PHL", "human rights"), {y: everyone for y in ("2014", "2015", "2016", "2017")}),
        _kp("emerging", sentence_with("MEX", "global compact"), {"2016": speakers[:4], "2017": everyone}),
        _kp("fading", sentence_with("ITA", "European project"), {"2014": everyone, "2015": speakers[:4]}),
        _kp("specific", sentence_with("ITA", "human rights"), {"2015": everyone, "2016": few}),
    ]}
    table = prevalence(document, sessions)
    assert table["held"]["2014"] == {"stakeholders": 12, "share": 0.6, "converges": True,
                                     "point_ids": [f"held-2014-{n}" for n in everyone]}
    trends = {kid: classify(row, sessions)[0] for kid, row in table.items()}
    assert trends == {"held": "held", "emerging": "emerging", "fading": "fading", "specific": "session-specific"}
    # undated sessions: no rise or fall is read, and the rule says so
    undated = [_session(s.id, None, speakers) for s in sessions]
    trend, rule = classify(prevalence(document, undated)["emerging"], undated)
    assert trend != "emerging" and "no date" in rule or trend == "session-specific"
    one = [_session("2017", "2017", speakers)]
    assert classify(prevalence(document, one)["held"], one)[0] == "single session"


def test_years_outside_the_corpus_exit_2_with_one_line(ungdc_archive, tmp_path):
    result = runner.invoke(app, ["stocktake", str(ungdc_archive), "--years", "1900-1901", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "no UNGDC speeches (ISO3_NN_YYYY.txt) for the years 1900-1901" in result.output
    bad = runner.invoke(app, ["stocktake", str(ungdc_archive), "--years", "2019-2015", "--out", str(tmp_path)])
    assert bad.exit_code == 2 and "the first year comes first" in bad.output


def test_a_session_column_with_one_value_works_and_says_so(tmp_path):
    path = tmp_path / "statements.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["stakeholder", "type", "country", "session", "text"])
        for code in ("DEU", "MEX", "PHL", "NGA", "ITA"):
            writer.writerow([code, "Member State", code, "Thematic session 1",
                             sentence_with("NER", "Irregular migrants") + " " + sentence_with("PHL", "human rights")])
    out = tmp_path / "out"
    result = runner.invoke(app, ["stocktake", str(path), "--no-learned", "--out", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "synthesis.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in data["sessions"]] == ["Thematic session 1"]
    assert data["limits"][0].startswith("One session only")
    assert data["key_points"] and all(kp["trend"] == "single session" for kp in data["key_points"])
