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

**The cheap first pass** (``to_read``). Every clause but the first needs ``sim ≥ seed``, and the
first needs a term, so MiniLM need not read every point to apply the rule: it reads the points
with a term (found lexically; they also give the centroid), then those whose *static* vectors
(``embed.static``, MiniLM's space at a fraction of the cost) come within ``margin`` of a clause:

  margin    = max(ŝim − strong, min(ŝim − seed, f̂eedback − related))   (ŝim, f̂eedback: static)
  read      = term or margin ≥ −``cheap_margin``

and the rule above is applied with MiniLM's vectors of the points read (a point not read is not
relevant); a point not read between two relevant ones is read then, for the passage clause. The
margin 0.08 was chosen on the 2016 debate (16 subjects: recall of the full rule's points ≥ 0.97 on
each) and held on the 2018 debate, never seen in training or choice: 0.975–0.995 of the points the
full rule keeps, reading 1–56 % of the points (migration: 0.989, reading 6.7 %;
``benchmarks/cheap_pass.py``).
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


def terms(points: list[Point], subject: Subject) -> np.ndarray:
    """Boolean mask: the point contains one of the subject's terms."""
    pattern = subject.pattern
    return np.array([bool(pattern and pattern.search(p.text)) for p in points], dtype=bool)


def centroid_of(vectors: np.ndarray, similarity: np.ndarray, has_term: np.ndarray, subject: Subject) -> np.ndarray | None:
    """The unit centroid of the points with a term and ``sim ≥ seed`` (the feedback), or None."""
    seeds = has_term & (similarity >= subject.seed)
    if not seeds.any():
        return None
    centroid = vectors[seeds].mean(axis=0)
    return centroid / (np.linalg.norm(centroid) + 1e-12)


def to_read(static: np.ndarray, has_term: np.ndarray, subject: Subject, subject_vector: np.ndarray,
            centroid: np.ndarray | None, cheap_margin: float) -> np.ndarray:
    """Boolean mask of the points MiniLM must read (the cheap pass in the module docstring)."""
    sim = static @ subject_vector
    margin = sim - subject.strong
    if centroid is not None:
        margin = np.maximum(margin, np.minimum(sim - subject.seed, static @ centroid - subject.related))
    return has_term | (margin >= -cheap_margin)


def between_relevant(points: list[Point], keep: np.ndarray) -> np.ndarray:
    """Indices of the points not kept that sit between two kept points of the same contribution."""
    return np.array([
        i for i in range(1, len(points) - 1)
        if not keep[i] and keep[i - 1] and keep[i + 1]
        and points[i - 1].contribution_id == points[i].contribution_id == points[i + 1].contribution_id
    ], dtype=np.int64)


def relevant(points: list[Point], vectors: np.ndarray, subject: Subject, subject_vector: np.ndarray) -> np.ndarray:
    """Boolean mask over ``points``."""
    if not points:
        return np.zeros(0, dtype=bool)
    similarity = vectors @ subject_vector
    has_term = terms(points, subject)
    keep = (has_term & (similarity >= subject.weak)) | (similarity >= subject.strong)
    centroid = centroid_of(vectors, similarity, has_term, subject)
    if centroid is not None:
        keep |= (vectors @ centroid >= subject.related) & (similarity >= subject.seed)
    gaps = between_relevant(points, keep)
    keep[gaps[similarity[gaps] >= subject.weak]] = True
    return keep
