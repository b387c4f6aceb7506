"""The whole engine on real statements: convergence, divergence with both sides, representation."""
from __future__ import annotations

import pytest

from rapporteur.analysis.representation import audit_representation
from rapporteur.geography import country
from rapporteur.model import Stakeholder, StakeholderType
from rapporteur.synthesis import SynthesisOptions, synthesize
from rapporteur.text.shown import shown


def _state(code: str) -> Stakeholder:
    c = country(code)
    return Stakeholder(c.name, StakeholderType.MEMBER_STATE, c.iso3, c.region, c.subregion)


@pytest.mark.slow
def test_rejection_of_the_compact_is_a_divergence_with_both_sides(compact_synthesis):
    s = compact_synthesis
    opposed = [d for d in s.divergence if d.kind == "opposed"]
    against = {name for d in opposed for side in d.sides if side.position == "against" for name in side.stakeholders}
    assert {"United States", "Hungary"} <= against
    for d in s.divergence:
        if d.kind == "unaddressed":
            continue
        assert len(d.sides) == 2
        assert all(side.point_ids for side in d.sides)  # quotes from each side
        names = [set(side.stakeholders) for side in d.sides]
        assert not names[0] & names[1]


@pytest.mark.slow
def test_rejections_meet_the_broad_support_they_reject(compact_synthesis):
    """The US and Hungarian rejections and the many welcomes of the compact are one matter."""
    (item,) = [
        d for d in compact_synthesis.divergence
        if {"United States", "Hungary"} <= {n for side in d.sides if side.position == "against" for n in side.stakeholders}
    ]
    supporters = next(side for side in item.sides if side.position == "for")
    assert len(supporters.stakeholders) >= 10
    assert len(supporters.regions) >= 3


@pytest.mark.slow
def test_members_are_confirmed_by_the_matcher(compact_debate, minilm, compact_synthesis):
    s = compact_synthesis
    assert s.settings["matcher"].startswith("rapporteur-matcher@")
    for kp in s.key_points:
        assert set(kp.match) == set(kp.point_ids) and kp.match[kp.label_point] == 1.0
        assert all(p >= 0.5 for p in kp.match.values())
        assert all(s.points[pid].match == kp.match[pid] and s.points[pid].key_point == kp.id for pid in kp.point_ids)
    plain = synthesize(compact_debate, SynthesisOptions(title="Compact", learned=False), embedder=minilm)
    assert plain.settings["matcher"] is None and plain.key_points
    similarity = plain.settings["key_points"]["similarity"]
    for kp in plain.key_points:  # without the matcher, "makes" is cosine similarity to the label
        assert all(p >= similarity for pid, p in kp.match.items() if pid != kp.label_point)
    assert any("general-purpose sentence embedding" in limit for limit in plain.limits)
    assert any("trained on IBM's ArgKP-2021" in limit for limit in s.limits)


@pytest.mark.slow
def test_a_rejection_heads_no_key_point(compact_synthesis):
    """"The United States will not participate in the compact" is a position on a claim, not a claim:
    no key point is labelled with a rejection, and the rejections stand against the compact."""
    s = compact_synthesis
    assert all(s.points[kp.label_point].stance != "oppose" or kp.label_span for kp in s.key_points)
    rejections = [p for p in s.points.values() if p.stance == "oppose" and p.stakeholder in ("United States", "Hungary")]
    assert rejections
    against = {pid for d in s.divergence for side in d.sides if side.position == "against" for pid in side.all_point_ids}
    assert any(p.id in against for p in rejections)
    assert all(p.id not in kp.point_ids for p in rejections for kp in s.key_points
               if kp.id in {c.key_point for c in s.convergence})


@pytest.mark.slow
def test_convergence_items_meet_their_rules(compact_synthesis):
    s = compact_synthesis
    diverging = {d.key_point for d in s.divergence}
    for c in s.convergence:
        assert c.key_point not in diverging
        quotes = [s.points[pid] for pid in c.point_ids]
        assert len(quotes) >= 3
        assert len({q.region for q in quotes}) >= 2
        assert all(q.stance not in ("oppose", "reservation") for q in quotes)


@pytest.mark.slow
def test_quotes_are_verbatim_and_located(compact_debate, compact_synthesis):
    texts = {c.id: c.text for c in compact_debate.contributions}
    for point in compact_synthesis.points.values():
        assert shown(texts[point.contribution][point.start : point.end]) == point.text


@pytest.mark.slow
def test_json_lists_ids_and_points(compact_synthesis):
    d = compact_synthesis.to_dict()
    for section in ("key_points", "convergence", "divergence", "representation"):
        assert section in d
    for item in d["key_points"] + d["convergence"] + [x for x in d["divergence"] if x["kind"] != "unaddressed"]:
        assert item["point_ids"]
    for item in d["convergence"]:
        assert [p["id"] for p in item["points"]] == item["point_ids"]
        assert all({"text", "stakeholder", "country"} <= set(p) for p in item["points"])
    for item in d["divergence"]:
        assert all(side["points"] for side in item["sides"])
        assert item["kind"] != "unaddressed" or len(item["point_ids"]) >= item["addressed_by"]


@pytest.mark.slow
def test_same_input_same_synthesis(compact_debate, minilm, compact_synthesis):
    again = synthesize(compact_debate, SynthesisOptions(title="Compact"), embedder=minilm)
    assert again.to_dict() == compact_synthesis.to_dict()


def test_representation_against_the_193():
    speakers = [_state(c) for c in ["FRA", "DEU", "ITA", "ESP", "POL", "SWE", "NGA", "MEX", "JPN"]]
    speakers.append(Stakeholder("IOM", StakeholderType.UN_ENTITY))
    rep = audit_representation(speakers, {"ts1": speakers[:5]})
    regions = {g.name: g for g in rep.regions}
    assert rep.member_states == 9 and rep.speakers == 10 and rep.no_country == 1
    assert regions["Europe"].flag is None and regions["Europe"].ratio > 2
    assert regions["Oceania"].flag == "absent"
    assert regions["Africa"].flag == "under-represented"  # 1 of 9 speakers against 54 of 193
    assert regions["Africa"].coverage == round(1 / 54, 4)
    assert "civil society" in rep.absent_types and "UN entity/IO" not in rep.absent_types
    (theme,) = rep.themes
    assert theme.speakers == 5
    assert {g.name: g.flag for g in theme.regions}["Africa"] == "absent"
