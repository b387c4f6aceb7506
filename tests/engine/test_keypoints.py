"""Key points chosen by coverage on real General Debate sentences: claims, redundancy, one label per sentence."""
from __future__ import annotations

import re

import pytest

from rapporteur.analysis.candidates import find_candidates
from rapporteur.analysis.keypoints import KeyPointSettings, build_key_points, read_pairs, select_key_points
from rapporteur.analysis.readings import CosineReadings
from rapporteur.embed import embed_texts
from rapporteur.ingest import read_path
from rapporteur.text.segment import segment_all
from rapporteur.text.shown import shown


@pytest.fixture(scope="module")
def sample(demo_dir, minilm):
    """The demo's sentences on root causes and on trafficking, one speaker's first of each."""
    corpus = read_path(demo_dir)
    points = [p for p in segment_all(corpus.contributions) if p.analysed]

    def first_per_state(pattern: str, n: int):
        chosen, states = [], set()
        for p in points:
            state = p.contribution_id.split("_")[0]
            if re.search(pattern, p.text, re.I) and state not in states and len(p.text) < 250:
                chosen.append(p)
                states.add(state)
            if len(chosen) == n:
                break
        return chosen

    chosen = first_per_state(r"root causes", 12) + first_per_state(r"trafficking", 12)
    source = {c.id: c.text for c in corpus.contributions}
    speakers = {c.id: c.stakeholder for c in corpus.contributions}
    return chosen, embed_texts(minilm, [p.text for p in chosen]), source, speakers, minilm


def _run(sample, settings=KeyPointSettings()):
    points, vectors, source, speakers, minilm = sample
    candidates = find_candidates(points, source)
    index = {p.id: i for i, p in enumerate(points)}
    own = [index[c.point_id] for c in candidates]
    candidate_vectors = embed_texts(minilm, [c.text for c in candidates])
    readings = CosineReadings(minilm)
    joins, against, _ = read_pairs(vectors, candidate_vectors, [p.text for p in points], candidates, own, readings,
                                   settings)
    names = [speakers[p.contribution_id].name for p in points]
    selection = select_key_points(candidates, joins, against, own, names, readings, settings)
    return candidates, selection, build_key_points(points, vectors, candidates, selection, speakers, {})


def test_labels_are_verbatim_claims_with_offsets(sample):
    points, _, source, _, _ = sample
    _, _, (key_points, _) = _run(sample)
    assert key_points
    by_id = {p.id: p for p in points}
    for kp in key_points:
        contribution = by_id[kp.label_point].contribution_id
        assert shown(source[contribution][kp.label_start:kp.label_end]) == kp.label
        assert kp.label_point in kp.point_ids  # the label's own sentence makes it
        assert 5 <= len(kp.label.split()) <= 18


def test_each_key_point_is_shared_and_members_are_counted_once(sample):
    points, _, _, speakers, _ = sample
    _, _, (key_points, unclustered) = _run(sample)
    for kp in key_points:
        assert kp.n_stakeholders >= 2
        assert sum(kp.regions.values()) == kp.n_stakeholders
    every = [pid for kp in key_points for pid in kp.point_ids] + unclustered
    assert sorted(every) == sorted(p.id for p in points)  # nothing lost, nothing twice


def test_no_chosen_claim_makes_another_and_one_label_per_sentence(sample, minilm):
    candidates, selection, (key_points, _) = _run(sample)
    labels = [kp.label for kp in key_points]
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            va, vb = embed_texts(minilm, [a, b])
            assert float(va @ vb) < KeyPointSettings().similarity  # redundant candidates are skipped
    assert len({kp.label_point for kp in key_points}) == len(key_points)


def test_a_higher_bar_gives_fewer_wider_key_points(sample):
    _, _, (loose, _) = _run(sample, KeyPointSettings(min_stakeholders=2))
    _, _, (strict, _) = _run(sample, KeyPointSettings(min_stakeholders=4))
    assert len(strict) <= len(loose)
    assert all(kp.n_stakeholders >= 4 for kp in strict)


def test_same_input_same_key_points(sample):
    first = _run(sample)[2][0]
    second = _run(sample)[2][0]
    assert [(k.id, k.label, k.point_ids, k.keywords) for k in first] == [
        (k.id, k.label, k.point_ids, k.keywords) for k in second]
