"""Key Point Analysis 2021 shared task, track 1 (key-point matching): strict and relaxed mAP.

A faithful port of the task's evaluation script (IBM/KPA_2021_shared_task,
``code/track_1_kp_matching.py``), step by step:

1. For each argument keep its best-scoring key point among the predicted ones (the first one in the
   prediction's order on a tie). Predicted key points absent from the key-point file are ignored.
   An argument with no prediction gets a dummy key point with score 0.
2. Join the gold labels on (argument, key point). The dummy is always wrong. A pair without a label
   (the annotators were undecided) counts as wrong in the *strict* score and right in the *relaxed* one.
3. Per topic × stance, sort the pairs by score (descending) and keep the top ``int(n * 0.5)``; a
   dummy kept there gets score 0.99 so it cannot help; a list with no positive scores 0.
4. Score the list with scikit-learn's ``average_precision_score`` — and, since the script's fix of
   23 September 2021 ("consider the maximum possible recall instead of the maximum recall in the
   top 50% predictions"), multiply it by (positives in the list / its length). This is the
   ``final`` variant and the default; ``leaderboard`` is the script as it ran during the shared
   task (June 2021: no multiplication), the scale on which the published 2021 results were given.
5. The figure is the mean over topic × stance groups.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import numpy as np

from rapporteur.fidelity.data import ArgKP

Predictions = Mapping[str, Mapping[str, float]]
VARIANTS = ("final", "leaderboard")
DUMMY = "dummy_id"


@dataclass(frozen=True)
class KPAScore:
    strict: float
    relaxed: float
    variant: str
    groups: int
    matched: int  # arguments with at least one valid prediction
    arguments: int

    def __str__(self) -> str:
        return f"mAP strict {self.strict:.4f}  relaxed {self.relaxed:.4f}  ({self.variant})"


def _merged(predictions: Predictions, data: ArgKP):
    import pandas as pd

    known = {kp.id for kp in data.key_points}
    best: dict[str, tuple[str, float]] = {}
    for arg_id, scores in predictions.items():
        valid = {k: float(v) for k, v in scores.items() if k in known}
        if valid:
            best[arg_id] = max(valid.items(), key=lambda item: item[1])
    rows = []
    for a in data.arguments:  # the script left-joins the arguments file, in its order
        kp_id, score = best.get(a.id, (DUMMY, 0.0))
        label = 0.0 if kp_id == DUMMY else data.labels.get((a.id, kp_id), np.nan)
        rows.append((a.id, a.topic, a.stance, kp_id, score, label))
    df = pd.DataFrame(rows, columns=["arg_id", "topic", "stance", "key_point_id", "score", "label"])
    df["label_strict"] = df["label"].fillna(0)
    df["label_relaxed"] = df["label"].fillna(1)
    return df, len(best)


def _group_ap(group, label_column: str, variant: str, top_percentile: float = 0.5) -> float:
    from sklearn.metrics import average_precision_score

    top = int(len(group) * top_percentile)
    df = group.sort_values("score", ascending=False).head(top).copy()
    df.loc[df["key_point_id"] == DUMMY, "score"] = 0.99
    if (df[label_column] == 0).all():  # includes an empty list
        return 0.0
    ap = float(average_precision_score(y_true=df[label_column], y_score=df["score"]))
    if variant == "final":
        ap *= float(df[label_column].sum()) / len(df)
    return ap


def kpa_map(predictions: Predictions, data: ArgKP, variant: str = "final") -> KPAScore:
    """Strict and relaxed mAP of ``predictions`` ({arg_id: {kp_id: score}}) against ``data``'s labels."""
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, not {variant!r}")
    df, matched = _merged(predictions, data)
    groups = [g for _, g in df.groupby(["topic", "stance"])]
    strict = float(np.mean([_group_ap(g, "label_strict", variant) for g in groups]))
    relaxed = float(np.mean([_group_ap(g, "label_relaxed", variant) for g in groups]))
    return KPAScore(strict, relaxed, variant, len(groups), matched, len(data.arguments))


def read_predictions(path: str | Path) -> dict[str, dict[str, float]]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)
