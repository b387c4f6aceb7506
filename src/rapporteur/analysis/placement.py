"""Points in other languages placed into the key points the English points made (issue 32).

When most analysed points are English, the English pipeline is the pipeline: the English points are
read by the English models exactly as in an English-only run (``synthesis.synthesize``), and the
points in other languages are then placed, each on its own, by the multilingual embedding
(multilingual-e5, ``embed.e5``):

1. A key point is read in the multilingual space by its label and by each of its English members.
   A point *makes* a key point with the calibrated probability (``readings.E5_CALIBRATION``, the
   matcher's scale) of its best cosine to the label or to a member.
2. A point joins the key point it makes with the highest probability when that reaches
   ``match_threshold`` and its language's cues do not voice a rejection (``lang.cues``); else it
   stays out (unclustered).
3. The key point's prevalence and spread then count the point's speaker: whoever said it, in
   whatever language. The English members and the label are never changed.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from rapporteur.analysis.keypoints import KeyPoint
from rapporteur.model import Point, Stakeholder


@dataclass
class Placement:
    placed: dict[str, tuple[str, float]]  # point id -> (key point id, probability it makes it)
    left: list[str]  # point ids in no key point


def calibrated(cosine: np.ndarray) -> np.ndarray:
    from rapporteur.analysis.readings import E5_CALIBRATION

    return 1 / (1 + np.exp(-(E5_CALIBRATION["slope"] * cosine + E5_CALIBRATION["intercept"])))


def place_points(key_points: list[KeyPoint], others: Sequence[Point], other_vectors: np.ndarray,
                 member_text: dict[str, str], embed, speaker_of_point: dict[str, Stakeholder],
                 match_threshold: float = 0.5) -> Placement:
    """Rules 1–3 of the module. ``embed(texts)``: unit vectors in the multilingual space;
    ``member_text``: point id -> text, for the key points' English members."""
    from rapporteur.analysis.stance import Stance
    from rapporteur.lang import rules_for

    if not key_points or not len(others):
        return Placement({}, [p.id for p in others])
    anchors, owner = [], []
    for j, kp in enumerate(key_points):
        texts = [kp.label] + [member_text[pid] for pid in kp.point_ids if pid in member_text]
        anchors += texts
        owner += [j] * len(texts)
    vectors = embed(anchors)
    cosine = other_vectors @ vectors.T  # points × anchors
    owner = np.array(owner)
    best = np.full((len(others), len(key_points)), -1.0)
    for j in range(len(key_points)):
        best[:, j] = cosine[:, owner == j].max(axis=1)
    probability = calibrated(best)
    placed, left = {}, []
    for i, point in enumerate(others):
        j = int(np.argmax(probability[i]))
        rules = rules_for(point.language) or rules_for("en")
        if probability[i, j] >= match_threshold and rules.stance_of(point.text) is not Stance.OPPOSE:
            placed[point.id] = (key_points[j].id, round(float(probability[i, j]), 4))
        else:
            left.append(point.id)
    by_id = {kp.id: kp for kp in key_points}
    for pid, (kp_id, p) in placed.items():
        kp = by_id[kp_id]
        kp.point_ids.append(pid)
        kp.match[pid] = p
        speaker = speaker_of_point[pid]
        if speaker.name not in kp.stakeholders:
            kp.stakeholders = sorted([*kp.stakeholders, speaker.name])
            kp.regions = dict(sorted((Counter(kp.regions) + Counter({speaker.region or "unknown": 1})).items()))
            kp.types = dict(sorted((Counter(kp.types) + Counter({speaker.type.value: 1})).items()))
    return Placement(placed, left)
