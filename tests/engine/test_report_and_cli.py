"""Reports (self-contained, escaped) and the CLI end to end on the bundled 2017 excerpt."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rapporteur.cli import app
from rapporteur.model import Contribution, Corpus, Stakeholder, StakeholderType
from rapporteur.report import render_html, render_markdown
from rapporteur.synthesis import SynthesisOptions, synthesize
from rapporteur.text.shown import shown

from .speeches import speech

runner = CliRunner()
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def hostile_synthesis(minilm):
    """Real statements plus one carrying markup, from a speaker whose name carries markup too."""
    contributions = [
        Contribution(code, Stakeholder(code, StakeholderType.MEMBER_STATE), speech(code))
        for code in ("MEX", "DEU", "PHL", "NGA", "ITA", "USA")
    ]
    contributions.append(Contribution(
        "x", Stakeholder(f"NGO {SCRIPT}", StakeholderType.CIVIL_SOCIETY),
        f"Migrants must be protected at sea and on land {SCRIPT} and we call on all States to save lives.",
    ))
    return synthesize(Corpus(contributions), SynthesisOptions(title=f"Report {SCRIPT}"), embedder=minilm)


@pytest.mark.slow
def test_html_is_self_contained_and_escapes_statements(hostile_synthesis):
    html = render_html(hostile_synthesis)
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(" in html  # shown as text
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']?(https?:)?//", html, re.I)
    assert "window.Plotly" in html and "Plotly.newPlot" in html
    assert len(html) > 3_000_000  # plotly.js inlined, so the charts draw offline


@pytest.mark.slow
def test_markdown_escapes_and_quotes(hostile_synthesis):
    md = render_markdown(hostile_synthesis)
    assert SCRIPT not in md and "&lt;script&gt;" in md
    assert md.startswith("# Report &lt;script&gt;")


@pytest.mark.slow
def test_demo_end_to_end(demo_dir, tmp_path):
    out = tmp_path / "report"
    result = runner.invoke(app, ["synthesize", str(demo_dir), "--about", "migration", "--out", str(out), "--format", "json,html,md"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "synthesis.json").read_text(encoding="utf-8"))
    assert (out / "report.html").stat().st_size > 3_000_000 and (out / "report.md").exists()
    assert data["counts"]["contributions"] == 154
    assert data["convergence"], "the 2017 debate converges on something"
    sources = {p.name: p.read_text(encoding="utf-8") for p in (demo_dir / "TXT" / "Session 72 - 2017").glob("*.txt")}
    for item in data["convergence"]:
        assert len(item["points"]) >= 3 and len({p["region"] for p in item["points"]}) >= 2
    assert data["divergence"], "the 2017 debate leaves something contested or unaddressed"
    for item in data["divergence"]:
        assert item["kind"] in ("opposed", "disputed", "unaddressed") and item["rule"]
        if item["kind"] == "unaddressed":  # an expected subtopic few spoke to, with the counts
            assert item["expected"] and item["addressed_by"] <= 2 and item["of_stakeholders"] == data["counts"]["speakers_analysed"]
        else:
            assert len(item["sides"]) == 2 and all(side["points"] for side in item["sides"])
    for kp in data["key_points"]:
        for p in kp["points"]:
            assert shown(sources[Path(p["source"]).name][p["start"] : p["end"]]) == p["text"]
    # the README's edits still apply to the demo's draft (ids are the draft's: a changed engine shows here)
    edits = Path(__file__).resolve().parents[2] / "examples" / "demo-edits.yaml"
    signed = runner.invoke(app, ["revise", str(out / "synthesis.json"), "--edits", str(edits), "--out",
                                 str(tmp_path / "signed"), "--no-read", "--format", "json,md"])
    assert signed.exit_code == 0, signed.output
    revised = json.loads((tmp_path / "signed" / "synthesis.json").read_text(encoding="utf-8"))
    assert len(revised["revision"]["edits"]) == 9
    assert any(c["origin"] == "added" for c in revised["convergence"])


def test_exit_2_when_nothing_usable(tmp_path):
    result = runner.invoke(app, ["synthesize", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "nothing usable left" in result.output
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\ngarbage")
    result = runner.invoke(app, ["synthesize", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "broken.pdf" in result.output and "corrupt PDF" in result.output


def test_missing_column_is_one_line_exit_2(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("stakeholder,country\nChile,CHL\n", encoding="utf-8")
    result = runner.invoke(app, ["synthesize", str(path)])
    assert result.exit_code == 2
    assert f"{path}:1: missing column text" in " ".join(result.output.split())


def test_skipped_input_is_listed_in_the_report(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for code in ("MEX", "DEU", "KEN"):
        (folder / f"{code}.txt").write_text(speech(code), encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Les migrants contribuent à la société.".encode("cp1252"))
    result = runner.invoke(app, ["synthesize", str(folder), "--out", str(tmp_path / "out"), "--format", "json"])
    assert result.exit_code == 0, result.output
    skipped = json.loads((tmp_path / "out" / "synthesis.json").read_text())["skipped"]
    assert [Path(s["source"]).name for s in skipped] == ["latin1.txt"] and "utf-8" in skipped[0]["reason"]


def test_help_everywhere():
    assert runner.invoke(app, ["--help"]).exit_code == 0
    result = runner.invoke(app, ["synthesize", "--help"])
    assert result.exit_code == 0 and "--about" in result.output and "--taxonomy" in result.output
    bad = runner.invoke(app, ["synthesize", ".", "--format", "pdf"])
    assert bad.exit_code == 2 and "unknown format" in bad.output
