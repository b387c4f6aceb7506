"""``--about``: keep the points relevant to a subject, by meaning and by terms.

A one-word subject ("migration") is a thin query for a sentence embedding, so the rule uses the
subject's own terms to find the passages that are surely on it, then their centroid (pseudo-
relevance feedback, as in Rocchio's method) as a richer description of the subject:

  term      = the point contains one of the subject's terms (its words of four letters or more,
              matched as stems: the first max(4, len - 3) letters, so "migration" matches
              "migrants", "immigration", "migratory");
  sim       = cos(point, subject);
  feedback  = cos(point, centroid of the points with a term and sim ≥ ``seed``).

  relevant  = (term and sim ≥ ``weak``) or sim ≥ ``strong`` or (feedback ≥ ``related`` and sim ≥ ``seed``)

A point between two relevant points of the same contribution is kept too when sim ≥ ``weak``: a
passage on the subject is not cut in the middle. Thresholds were set on the 2018 general debate
(session 73) for "migration": 410 of 16,849 points from 117 States, with the no-term additions
(61) reading as refugee and displacement passages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from rapporteur.model import Point

_STOP = {"with", "from", "about", "into", "that", "this", "their", "there", "which", "what"}


@dataclass(frozen=True)
class Subject:
    text: str
    strong: float = 0.40
    weak: float = 0.20
    seed: float = 0.25
    related: float = 0.55

    @property
    def pattern(self) -> re.Pattern | None:
        words = [w for w in re.findall(r"[^\W\d_]+", self.text.lower()) if len(w) >= 4 and w not in _STOP]
        stems = sorted({w[: max(4, len(w) - 3)] for w in words})
        if not stems:
            return None
        return re.compile(r"\w*(?:" + "|".join(re.escape(s) for s in stems) + r")\w*", re.IGNORECASE)


def relevant(points: list[Point], vectors: np.ndarray, subject: Subject, subject_vector: np.ndarray) -> np.ndarray:
    """Boolean mask over ``points``."""
    if not points:
        return np.zeros(0, dtype=bool)
    similarity = vectors @ subject_vector
    pattern = subject.pattern
    has_term = np.array([bool(pattern and pattern.search(p.text)) for p in points])
    keep = (has_term & (similarity >= subject.weak)) | (similarity >= subject.strong)
    seeds = has_term & (similarity >= subject.seed)
    if seeds.any():
        centroid = vectors[seeds].mean(axis=0)
        centroid /= np.linalg.norm(centroid) + 1e-12
        keep |= (vectors @ centroid >= subject.related) & (similarity >= subject.seed)
    for i in range(1, len(points) - 1):
        if (
            not keep[i] and keep[i - 1] and keep[i + 1]
            and points[i - 1].contribution_id == points[i].contribution_id == points[i + 1].contribution_id
            and similarity[i] >= subject.weak
        ):
            keep[i] = True
    return keep
