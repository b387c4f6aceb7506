"""Key points on real General Debate sentences: grouping, minority views, labels, determinism."""
from __future__ import annotations

import re

import pytest

from rapporteur.analysis.keypoints import KeyPointSettings, build_key_points
from rapporteur.embed import embed_texts
from rapporteur.ingest import read_path
from rapporteur.text.segment import segment_all


@pytest.fixture(scope="module")
def sample(demo_dir, minilm):
    corpus = read_path(demo_dir)
    points = [p for p in segment_all(corpus.contributions) if p.analysed]

    def first_per_state(pattern: str, n: int):
        chosen, states = [], set()
        for p in points:
            state = p.contribution_id.split("_")[0]
            if re.search(pattern, p.text) and state not in states and len(p.text) < 250:
                chosen.append(p)
                states.add(state)
            if len(chosen) == n:
                break
        return chosen

    compact = first_per_state(r"global compact", 6)
    trafficking = first_per_state(r"trafficking in persons|human trafficking", 5)
    chosen = compact + trafficking
    speakers = {c.id: c.stakeholder for c in corpus.contributions}
    return chosen, embed_texts(minilm, [p.text for p in chosen]), speakers, {p.id for p in compact}


def test_statements_on_the_compact_form_one_key_point(sample):
    points, vectors, speakers, compact_ids = sample
    key_points, _ = build_key_points(points, vectors, speakers, {}, KeyPointSettings(similarity=0.55))
    top = key_points[0]
    assert set(top.point_ids) == compact_ids
    assert top.n_stakeholders == 6 and top.id == "KP1"
    assert "compact" in " ".join(top.keywords)
    assert top.label in {p.text for p in points}  # a verbatim quote, not a summary
    assert sum(top.regions.values()) == 6


def test_minority_views_stay_their_own_key_points(sample):
    points, vectors, speakers, compact_ids = sample
    key_points, unclustered = build_key_points(points, vectors, speakers, {}, KeyPointSettings())
    compact_kp = next(k for k in key_points if set(k.point_ids) & compact_ids)
    assert not set(compact_kp.point_ids) - compact_ids  # no trafficking point merged in
    small = [k for k in key_points if k is not compact_kp]
    assert small and all(k.n_stakeholders == 2 for k in small)  # two-State views kept apart
    every = [pid for k in key_points for pid in k.point_ids] + unclustered
    assert sorted(every) == sorted(p.id for p in points)  # nothing lost


def test_same_input_same_key_points(sample):
    points, vectors, speakers, _ = sample
    first = build_key_points(points, vectors, speakers, {}, KeyPointSettings())
    second = build_key_points(points, vectors.copy(), speakers, {}, KeyPointSettings())
    assert [(k.id, k.label, k.point_ids, k.keywords) for k in first[0]] == [
        (k.id, k.label, k.point_ids, k.keywords) for k in second[0]
    ]


def test_large_inputs_take_the_two_stage_path_deterministically(minilm, demo_dir):
    corpus = read_path(demo_dir)
    points = [p for p in segment_all(corpus.contributions) if p.analysed][:600]
    vectors = embed_texts(minilm, [p.text for p in points])
    speakers = {c.id: c.stakeholder for c in corpus.contributions}
    settings = KeyPointSettings(direct_limit=200)  # forces micro-clusters first
    a, _ = build_key_points(points, vectors, speakers, {}, settings)
    b, _ = build_key_points(points, vectors, speakers, {}, settings)
    assert a and [k.point_ids for k in a] == [k.point_ids for k in b]
