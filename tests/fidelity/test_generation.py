"""Key point generation against IBM's experts on one ArgKP-2021 dev topic (never seen in training),
and sides kept apart when its pro and con arguments are pooled with stance withheld.

The floors sit under what the shipped models measure (figures in the README; ``benchmarks/kpa.py``
prints them for all dev topics): a fall below them is a regression, not noise."""
from __future__ import annotations

import pytest

from rapporteur.fidelity.generation import (pooled_groups, score_group, score_sides, sided_groups, summarise,
                                            synthesis_generator)
from rapporteur.text.shown import shown

TOPIC = "We should end affirmative action"
# Measured with the shipped models (2026-12-02): pro side kp_recall 0.276, kp_precision 0.301, ARI
# 0.257, coverage 0.78, median label 10 words; pooled purity 0.912, 22 of 24 quotes on the right side.
KP_RECALL, KP_PRECISION, ARI = 0.22, 0.24, 0.18
PURITY, SIDE_ACCURACY = 0.87, 0.75


@pytest.fixture(scope="module")
def generate(minilm):
    return synthesis_generator(embedder=minilm)


@pytest.mark.slow
def test_generation_on_one_dev_topic(dev, generate):
    name = f"{TOPIC} (pro)"
    arguments = sided_groups(dev)[name]
    generated = generate(arguments, name)
    figures = summarise([score_group(dev, arguments, generated)])
    assert figures["kp_recall"] >= KP_RECALL and figures["kp_precision"] >= KP_PRECISION, figures
    assert figures["ari"] >= ARI and figures["coverage"] >= 0.5, figures
    assert figures["label_words"] <= 12, figures
    texts = {a.id: a.text for a in arguments}
    for kp in generated.synthesis["key_points"]:  # labels are verbatim spans of an argument
        source = kp["label_source"]
        assert shown(texts[source["stakeholder"]][kp["label_start"]:kp["label_end"]]) == kp["label"]


@pytest.mark.slow
def test_pooled_sides_stay_apart(dev, generate):
    arguments = pooled_groups(dev)[TOPIC]
    sides = score_sides(arguments, generate(arguments, TOPIC))
    assert sides["purity"] >= PURITY, sides
    assert sides["opposed"] >= 1, sides  # the topic is reported as opposing positions
    assert sides["quoted_right"] >= SIDE_ACCURACY * sides["quoted"], sides
