"""KPA-2021 track-1 scoring on a tiny case worked out by hand (see each group's comment)."""
from __future__ import annotations

import pytest

from rapporteur.fidelity.data import ArgKP, Argument, KeyPointText
from rapporteur.fidelity.scoring import kpa_map


def _case() -> tuple[ArgKP, dict]:
    arguments = [Argument(f"a{i}", f"argument a{i}", "T", 1) for i in range(1, 7)]
    arguments += [Argument(f"b{i}", f"argument b{i}", "T", -1) for i in range(1, 5)]
    key_points = [KeyPointText("k1", "kp 1", "T", 1), KeyPointText("k2", "kp 2", "T", 1),
                  KeyPointText("k3", "kp 3", "T", -1)]
    labels = {("a1", "k1"): 1, ("a1", "k2"): 0, ("a3", "k1"): 0, ("a4", "k2"): 1, ("a6", "k1"): 1,
              ("b1", "k3"): 0, ("b2", "k3"): 1, ("b4", "k3"): 1}  # (a2, k2) undecided: no label
    predictions = {
        "a1": {"k1": 0.9, "k2": 0.1},  # best k1: a match
        "a2": {"k1": 0.2, "k2": 0.8},  # best k2: unlabelled, wrong (strict) or right (relaxed)
        "a3": {"k1": 0.7},             # not a match
        "a4": {"k2": 0.6, "k9": 5.0},  # k9 is not in the key-point file: ignored
        # a5: no prediction -> dummy key point, score 0
        "a6": {"k1": 0.1},
        "b1": {"k3": 0.5}, "b2": {"k3": 0.4}, "b4": {"k3": 0.3},  # b3: dummy
    }
    return ArgKP(arguments, key_points, labels), predictions


def test_strict_and_relaxed_by_hand():
    data, predictions = _case()
    # (T, +1): 6 arguments, top 3 = a1 (0.9, match), a2 (0.8, unlabelled), a3 (0.7, no match).
    #   strict [1, 0, 0]: AP 1.0, times 1 positive / 3 = 1/3;  relaxed [1, 1, 0]: AP 1.0 * 2/3.
    # (T, -1): 4 arguments, top 2 = b1 (0.5, no), b2 (0.4, match): AP 0.5, times 1/2 = 0.25.
    score = kpa_map(predictions, data)
    assert score.groups == 2 and score.arguments == 10 and score.matched == 8
    assert score.strict == pytest.approx((1 / 3 + 0.25) / 2)
    assert score.relaxed == pytest.approx((2 / 3 + 0.25) / 2)
    # The script as run during the 2021 task: no multiplication.
    board = kpa_map(predictions, data, variant="leaderboard")
    assert board.strict == pytest.approx((1.0 + 0.5) / 2)
    assert board.relaxed == pytest.approx((1.0 + 0.5) / 2)


def test_a_missing_prediction_is_a_wrong_dummy():
    data = ArgKP([Argument("c1", "x", "U", 1), Argument("c2", "y", "U", 1)],
                 [KeyPointText("k4", "kp", "U", 1)], {("c2", "k4"): 1})
    # top int(2 * 0.5) = 1 pair: the dummy of c1 (score 0) outranks c2 (score -1) and is wrong.
    assert kpa_map({"c2": {"k4": -1.0}}, data).strict == 0.0
    assert kpa_map({"c2": {"k4": 1.0}}, data).strict == pytest.approx(1.0)
    assert kpa_map({}, data).relaxed == 0.0


def test_unknown_variant_is_refused():
    data, predictions = _case()
    with pytest.raises(ValueError):
        kpa_map(predictions, data, variant="other")
