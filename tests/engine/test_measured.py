"""Measured agreement: a rating round's votes (analysed by the vote engine) merged into a report."""
from __future__ import annotations

import numpy as np
import pytest

from rapporteur.analysis.measured import MeasuredRules, add_measured, measure, round_results
from rapporteur.report.markdown import render_markdown_dict
from rapporteur.votes import Conversation, analyse

from .speeches import sentence_with

REGIONS = {"MEX": "Americas", "BRA": "Americas", "NGA": "Africa", "KEN": "Africa", "GHA": "Africa", "DEU": "Europe",
           "ITA": "Europe", "PHL": "Asia", "IND": "Asia"}


def conversation(statements: list[str], votes: dict[str, list[int | None]]) -> Conversation:
    """Participants (ISO3 codes, Member States) × statements; None = did not vote."""
    pids = list(votes)
    rows, cols, vals = [], [], []
    for i, pid in enumerate(pids):
        for j, v in enumerate(votes[pid]):
            if v is not None:
                rows.append(i), cols.append(j), vals.append(v)
    indptr = np.zeros(len(pids) + 1, dtype=np.int64)
    np.cumsum(np.bincount(np.array(rows, dtype=np.int64), minlength=len(pids)), out=indptr[1:])

    def column(values):
        out = np.empty(len(pids), dtype=object)
        out[:] = values
        return out

    return Conversation(
        source="round", format="plain", participant_ids=column(pids), statement_ids=[str(j) for j in range(len(statements))],
        statement_texts=statements, moderated_out=np.zeros(len(statements), dtype=bool),
        is_meta=np.zeros(len(statements), dtype=bool), indptr=indptr, indices=np.array(cols, dtype=np.int32),
        values=np.array(vals, dtype=np.int8),
        attributes={"region": column([REGIONS[p] for p in pids]), "type": column(["Member State"] * len(pids))},
    )


@pytest.fixture(scope="module")
def labels():
    return [
        sentence_with("MEX", "global compact for safe, orderly and regular migration"),
        sentence_with("ITA", "effective management of the challenge of migration"),
        sentence_with("PHL", "global compact on migration"),
    ]


def report(labels) -> dict:
    key_points = [{"id": f"K{i + 1}", "label": text, "n_stakeholders": 3} for i, text in enumerate(labels)]
    return {
        "title": "A session", "key_points": key_points,
        "convergence": [{"number": 1, "key_point": "K1", "label": labels[0]}],
        "divergence": [{"number": 1, "key_point": "K2", "label": labels[1]}],
    }


def results(statements, votes) -> dict:
    conv = conversation(statements, votes)
    analyses = {a: analyse(conv, group_by=a, seed=0).to_dict() for a in ("region", "type")}
    meta = [{"id": "0", "origin": "key point", "key_point": "K1"}]
    return round_results(analyses, meta, title="Rating round")


def test_confirmed_convergence_and_divergence(labels):
    statements = ["  " + labels[0].replace(" ", "  "), labels[1], "Cities should have a seat at the table."]
    votes = {  # K1: everyone agrees; K2: Africa agrees, Europe and the Americas disagree
        "MEX": [1, -1, 1], "BRA": [1, -1, 0], "NGA": [1, 1, 1], "KEN": [1, 1, None], "GHA": [1, 1, 1],
        "DEU": [1, -1, -1], "ITA": [1, -1, 1], "PHL": [1, 0, 1], "IND": [0, 1, 1],
    }
    out = add_measured(report(labels), results(statements, votes))
    k1, k2, k3 = out["key_points"]
    assert k1["measured"]["statement"] == "0"  # linked by the label's text, spaces folded
    assert (k1["measured"]["agree"], k1["measured"]["pass"], k1["measured"]["n"]) == (8, 1, 9)
    assert k1["measured"]["convergent"] is True and k1["measured"]["confirmed"] is True
    assert set(k1["measured"]["per_group"]["region"]) == {"Africa"}  # the others have fewer than 3 votes
    assert k1["measured"]["groups_not_shown"] == 3
    assert k1["measured"]["per_group"]["type"]["Member State"]["agree_share"] == pytest.approx(8 / 9, abs=1e-4)
    assert out["convergence"][0]["measured"]["confirmed"] is True
    assert out["divergence"][0]["measured"]["confirmed"] is True  # 4 agree, 4 disagree: the vote splits
    assert "splits" in out["divergence"][0]["measured"]["reason"]
    assert k3["measured"] is None
    v = out["votes"]
    assert v["participants"] == 9 and v["votes"] == 26 and v["key_points_measured"] == 2
    assert [s["id"] for s in v["statements"] if s["id"] in v["new_statements"]] == ["2"]
    md = render_markdown_dict_safe(out)
    assert "*Confirmed by the vote*" in md and "## Measured agreement" in md


def render_markdown_dict_safe(d: dict) -> str:
    """The markdown renderer needs the whole report; fill the sections this test does not build."""
    full = {
        "about": None, "counts": {"contributions": 9, "speakers_analysed": 9, "analysed": 9, "key_points": 3},
        "representation": {"speakers": 9, "member_states": 9, "regions": [], "absent_types": []},
        "recommendations": [], "practices": [], "skipped": [], "limits": [], **d,
    }
    for item in full["convergence"]:
        item.setdefault("n_stakeholders", 3), item.setdefault("regions", {}), item.setdefault("types", {})
        item.setdefault("points", [])
    for item in full["divergence"]:
        item.setdefault("kind", "opposed"), item.setdefault("sides", [])
    for kp in full["key_points"]:
        kp.setdefault("stakeholders", []), kp.setdefault("n_points", 1), kp.setdefault("theme_label", None)
    return render_markdown_dict(full)


def test_not_confirmed_when_a_group_disagrees_and_no_verdict_on_few_votes(labels):
    statements = labels
    votes = {  # K1: Americas and Asia agree, Africa does not; K2: 4 votes only
        "MEX": [1, 1, 1], "BRA": [1, 1, 1], "NGA": [-1, None, 1], "KEN": [-1, None, 1], "GHA": [1, None, 1],
        "PHL": [1, 1, 1], "IND": [1, 1, 1],
    }
    out = add_measured(report(labels), results(statements, votes))
    item = out["convergence"][0]["measured"]
    assert item["confirmed"] is False and "in Africa (region)" in item["reason"]
    assert item["agree_share"] == pytest.approx(5 / 7, abs=1e-4)
    div = out["divergence"][0]["measured"]
    assert div["confirmed"] is None and "too few votes" in div["reason"]


def test_groups_apart_is_divided_even_when_most_agree():
    statement = {"id": "s", "agree": 7, "disagree": 2, "pass": 1, "n": 10,  # 20% disagree: no split overall
                 "groups": {"region": {"Africa": {"agree": 5, "disagree": 0, "pass": 0, "n": 5},
                                       "Europe": {"agree": 2, "disagree": 2, "pass": 1, "n": 5}}}}
    m = measure(statement)
    assert m["divided"] is True and m["divided_reason"] == "region groups differ: 100% agree in Africa, 40% in Europe"
    assert m["convergent"] is False and "40% in Europe" in m["convergent_reason"]
    strict = measure(statement, MeasuredRules(group_difference_min=0.65))
    assert strict["divided"] is False
    # apart, but every group agrees: convergent, not divided
    agreeing = {"id": "t", "agree": 8, "disagree": 1, "pass": 1, "n": 10,
                "groups": {"region": {"Africa": {"agree": 5, "disagree": 0, "pass": 0, "n": 5},
                                      "Europe": {"agree": 3, "disagree": 1, "pass": 1, "n": 5}}}}
    m = measure(agreeing)
    assert m["convergent"] is True and m["divided"] is False


def test_a_report_without_a_round_is_left_alone(labels):
    d = report(labels)
    assert "votes" not in d and all("measured" not in kp for kp in d["key_points"])
    md = render_markdown_dict_safe(d)
    assert "Measured agreement" not in md and "Confirmed by the vote" not in md
