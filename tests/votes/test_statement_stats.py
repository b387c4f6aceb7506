"""Statement statistics (Pol.is formulas) and known-group convergence, checked against independent code."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy.stats import chi2_contingency, false_discovery_control

from rapporteur.votes import analyse, read_conversation
from rapporteur.votes.known_groups import benjamini_hochberg, percentile75
from rapporteur.votes.statement_stats import Tally, prop_test, repness, select_representative, two_prop_test


def test_repness_formulas_on_a_hand_example():
    # group 0: 3 agree, 1 disagree; group 1: 1 agree, 3 disagree, 1 pass
    t = Tally(agree=np.array([[3], [1]]), disagree=np.array([[1], [3]]), passes=np.array([[0], [1]]))
    r = repness(t)
    assert r.pa[0, 0] == pytest.approx(4 / 6)
    assert r.pat[0, 0] == pytest.approx(2 * math.sqrt(5) * (4 / 5 - 0.5))
    assert r.ra[0, 0] == pytest.approx((4 / 6) / (2 / 7))
    p1, p2, pooled = 4 / 5, 2 / 6, 6 / 11
    assert r.rat[0, 0] == pytest.approx((p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / 5 + 1 / 6)))
    assert r.rd[1, 0] == pytest.approx((4 / 7) / (2 / 6))
    assert r.repful_agree[0, 0] and not r.repful_agree[1, 0]


def test_tests_edge_cases():
    assert prop_test(0, 0) == pytest.approx(1.0)  # no votes: z = 1, below 1.2816
    assert two_prop_test(5, 5, 5, 5) == 0.0  # pooled proportion 1


def test_representative_selection_rules():
    # statement 0: group 0 agrees, group 1 disagrees; statement 1: everyone agrees; 2: group 0 disagrees
    agree = np.array([[40, 30, 2], [2, 30, 20]])
    disagree = np.array([[2, 2, 40], [40, 2, 2]])
    t = Tally(agree=agree, disagree=disagree, passes=np.zeros_like(agree))
    reps = select_representative(repness(t), excluded=np.array([False, False, False]))
    g0 = reps[0]
    assert [s["statement"] for s in g0] == [0, 2]
    assert g0[0]["repful_for"] == "agree" and g0[0].get("best_agree") and g0[1]["repful_for"] == "disagree"
    excluded = select_representative(repness(t), excluded=np.array([True, False, False]))
    assert all(s["statement"] != 0 for lst in excluded for s in lst)


def test_group_statistics_against_independent_computation(polis):
    conv = polis("vtaiwan.uberx")
    result = analyse(conv)
    d = result.to_dict()
    dense = conv.dense()
    groups = result.opinion.group
    for j in (0, 5, 17, 100):
        product = 1.0
        for g in range(result.n_groups):
            col = dense[groups == g, j]
            a, s = np.sum(col == 1), np.sum(~np.isnan(col))
            product *= (a + 1) / (s + 2)
            entry = d["statements"][j]["groups"][str(g)]
            assert (entry["agree"], entry["seen"]) == (a, s)
        assert d["statements"][j]["group_informed_consensus"] == pytest.approx(product, rel=1e-12)
        col = dense[:, j]
        assert d["statements"][j]["agree"] == np.sum(col == 1)
        assert d["statements"][j]["pass"] == np.sum(col == 0)
    # Pol.is's consensus: over everyone, pa > 1/2 and pat > 1.2816, top 5 by pa·pat
    a = np.sum(dense == 1, axis=0)
    s = np.sum(~np.isnan(dense), axis=0)
    pa = (a + 1) / (s + 2)
    pat = 2 * np.sqrt(s + 1) * ((a + 1) / (s + 1) - 0.5)
    ok = (pa > 0.5) & (pat > 1.2816) & ~conv.moderated_out
    top = np.argsort(-(pa * pat) * ok, kind="stable")[: min(5, ok.sum())]
    assert [c["statement"] for c in d["consensus"]["agree"]] == [conv.statement_ids[j] for j in top]
    assert all(d["statements"][j]["majority_consensus"] == "agree" for j in np.flatnonzero(ok))
    # representative statements are never moderated out, at most 5 per group
    for g in d["groups"]:
        assert 1 <= len(g["representative"]) <= 5
        for rep in g["representative"]:
            assert not conv.moderated_out[conv.statement_ids.index(rep["statement"])]


def known_conversation(plain):
    """Three regions of 30; s1 everyone agrees, s2 Africa agrees and the others disagree, s3 mostly passes."""
    rows, part = [], ["participant,region"]
    regions = ["Africa", "Asia", "Europe"]
    for p in range(90):
        region = regions[p // 30]
        part.append(f"{p},{region}")
        rows.append(f"{p},s1,1")
        rows.append(f"{p},s2,{1 if region == 'Africa' else -1}")
        rows.append(f"{p},s3,{0 if p % 10 else 1}")
    statements = "id,text\ns1,Everyone agrees\ns2,Only Africa agrees\ns3,Unsure\n"
    return read_conversation(
        plain("participant,statement,vote\n" + "\n".join(rows) + "\n", statements=statements, participants="\n".join(part) + "\n")
    )


def test_known_groups_consensus_divergence_and_categories(plain):
    conv = known_conversation(plain)
    result = analyse(conv, group_by="region")
    k = result.to_dict()["known_groups"]
    assert [g["name"] for g in k["groups"]] == ["Africa", "Asia", "Europe"]
    assert [c["statement"] for c in k["cross_group_consensus"]] == ["s1"]
    assert k["cross_group_consensus"][0]["direction"] == "agree"
    assert k["cross_group_consensus"][0]["group_informed_consensus"] == pytest.approx((31 / 32) ** 3)
    [div] = k["divergence"]
    assert div["statement"] == "s2" and div["highest"] == "Africa"
    assert div["difference"] == pytest.approx(31 / 32 - 1 / 32)
    assert k["categories"]["common_ground"] == ["s1"]
    assert k["categories"]["differences_of_opinion"] == ["s2"]
    assert k["categories"]["uncertain"] == ["s3"]
    s2 = result.to_dict()["statements"][1]["known_groups"]
    table = np.array([[30, 0, 0], [0, 30, 0], [0, 30, 0]])
    chi2, p, dof, _ = chi2_contingency(table[:, :2], correction=False)
    assert s2["chi2"] == pytest.approx(chi2) and s2["dof"] == dof and s2["p_value"] == pytest.approx(p)
    assert s2["divergent"] and not result.to_dict()["statements"][0]["known_groups"]["divergent"]


def test_benjamini_hochberg_and_percentile():
    p = np.array([0.01, 0.04, np.nan, 0.03, 0.2, 0.0001])
    q = benjamini_hochberg(p)
    ok = np.isfinite(p)
    np.testing.assert_allclose(q[ok], false_discovery_control(p[ok]))
    assert np.isnan(q[2])
    assert percentile75(np.array([4.0, 1.0, 3.0, 2.0])) == 3.5  # index 2.25: midpoint of 3 and 4
    assert percentile75(np.array([1.0, 2.0, 3.0, 4.0, 5.0])) == 4.0


def test_to_dict_is_json_ready_with_every_documented_key(polis, tmp_path):
    conv = polis("scoop-hivemind.biodiversity")
    rng = np.random.default_rng(0)
    conv.attributes["region"] = np.array(rng.choice(["Africa", "Asia", None], conv.n_participants), dtype=object)
    d = analyse(conv, group_by="region").to_dict()
    json.dumps(d, allow_nan=False)
    assert {"participants", "statements", "groups", "known_groups", "problems", "consensus", "counts", "parameters"} <= d.keys()
    assert set(d["participants"][0]) >= {"id", "group", "x", "y", "polis_group"}
    st = d["statements"][0]
    assert set(st) >= {
        "id", "text", "agree", "disagree", "pass", "group_informed_consensus", "majority_consensus", "divisiveness", "groups",
        "known_groups",
    }
    assert set(st["groups"]["0"]) >= {"repness_agree", "repness_agree_test", "p_agree", "p_agree_test", "repful_for"}
    assert set(d["known_groups"]) >= {"groups", "cross_group_consensus", "divergence", "categories"}
    assert d["known_groups"]["unassigned_participants"] == sum(1 for v in conv.attributes["region"] if v is None)
    del conv.attributes["region"]
