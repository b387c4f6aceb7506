"""Disputed or unclear (D2) on real sentences: the Holy See's condition on the root causes of migration."""
from __future__ import annotations

import re

import pytest

from rapporteur.ingest import read_path
from rapporteur.model import Contribution, Corpus
from rapporteur.synthesis import SynthesisOptions, synthesize
from rapporteur.text.segment import segment_all


@pytest.fixture(scope="module")
def root_causes(demo_dir):
    """Every 2017 sentence on the root causes of migration or displacement, one contribution per State;
    the Holy See's among them: "… that right is effective only if the root causes that force people to
    migrate … are met with adequate solutions"."""
    corpus = read_path(demo_dir)
    pattern = re.compile(r"root causes", re.I)
    chosen: dict[str, list[str]] = {}
    by_id = {c.id: c for c in corpus.contributions}
    for p in segment_all(corpus.contributions):
        if pattern.search(p.text) and re.search(r"migra|displace|refugee|movement", p.text, re.I):
            chosen.setdefault(p.contribution_id, []).append(p.text)
    assert "VAT_72_2017" in chosen and len(chosen) >= 8
    return Corpus([Contribution(cid, by_id[cid].stakeholder, "\n".join(texts), session="GD 2017")
                   for cid, texts in sorted(chosen.items())])


def test_a_condition_makes_the_matter_disputed(root_causes, minilm):
    s = synthesize(root_causes, SynthesisOptions(title="Root causes"), embedder=minilm)
    disputed = [d for d in s.divergence if d.kind == "disputed"]
    assert disputed, [(kp.label, kp.stakeholders) for kp in s.key_points]
    holy_see = next(c.stakeholder.name for c in root_causes.contributions if c.id == "VAT_72_2017")  # "Vatican"
    item = next(d for d in disputed if holy_see in d.sides[1].stakeholders)
    assert item.rule.startswith("D2")
    supporters, reserved = item.sides
    assert supporters.position == "for" and reserved.position == "reservations"
    assert len(supporters.stakeholders) >= 2 and not set(supporters.stakeholders) & set(reserved.stakeholders)
    quoted = [s.points[pid].text for pid in reserved.point_ids]
    assert any("only if the root causes" in q for q in quoted)  # the condition itself is quoted, verbatim
    assert item.key_point not in {c.key_point for c in s.convergence}
