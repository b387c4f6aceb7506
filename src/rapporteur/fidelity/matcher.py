"""Does a statement make a key point? A MiniLM cross-encoder trained on ArgKP-2021 train.

``Matcher.probabilities(statements, key_points)`` reads each (key point, statement) pair together
and returns the probability that the statement makes the key point (a pair is a match in the
training data when most annotators said so). Reading pairs is what makes it accurate and also what
makes it cost one model pass per pair, so ``match_to_key_points`` first shortlists, for each
statement, the ``shortlist`` key points closest in general-purpose embedding space (all-MiniLM-L6-v2,
through the embedding cache) and scores only those.

Figures (dev split, topics never seen in training) are stored in the model file and printed by
``benchmarks/kpa.py``; the recipe is in ``fidelity.train``.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from rapporteur.fidelity.pairs import PairScorer

MATCH_THRESHOLD = 0.5  # probability at which a statement is taken to make a key point
SHORTLIST = 5


class Matcher:
    def __init__(self, path: str | Path | None = None, scorer: PairScorer | None = None):
        from rapporteur.fidelity.train import load_scorer

        self.scorer = scorer or load_scorer("matcher", path)
        self.model_id = self.scorer.model_id
        self.meta = self.scorer.meta

    def probabilities(self, statements: Sequence[str], key_points: Sequence[str]) -> np.ndarray:
        """Aligned pairs: the probability that ``statements[i]`` makes ``key_points[i]``."""
        return self.scorer.probabilities(list(key_points), list(statements))


@lru_cache(maxsize=1)
def default_matcher() -> Matcher:
    """The shipped matcher, loaded once per process."""
    return Matcher()


def _key_point_items(key_points: Any) -> list[tuple[str, str]]:
    if isinstance(key_points, Mapping):
        return [(str(k), str(v)) for k, v in key_points.items()]
    items = []
    for item in key_points:
        if isinstance(item, (tuple, list)):
            items.append((str(item[0]), str(item[1])))
        else:  # an engine KeyPoint, or anything with .id and .label (or .text)
            items.append((str(item.id), str(getattr(item, "label", None) or getattr(item, "text"))))
    return items


def shortlist_pairs(statement_vectors: np.ndarray, key_point_vectors: np.ndarray, size: int) -> list[tuple[int, int]]:
    """(statement, key point) index pairs to score: each statement's ``size`` nearest key points
    by cosine similarity of unit vectors."""
    n = len(statement_vectors)
    similarity = statement_vectors @ key_point_vectors.T
    nearest = np.argsort(-similarity, axis=1, kind="stable")[:, :size]
    return [(i, int(j)) for i in range(n) for j in nearest[i]]


def match_to_key_points(
    texts: Iterable[str],
    key_points: Any,
    threshold: float = MATCH_THRESHOLD,
    shortlist: int | None = SHORTLIST,
    matcher: Matcher | None = None,
    embedder=None,
    cache=None,
) -> list[list[tuple[str, float]]]:
    """For each text, the key points it makes: ``[(kp_id, probability), …]``, most likely first.

    ``key_points`` is ``{kp_id: text}``, a sequence of ``(kp_id, text)``, or key points with ``id``
    and ``label`` (``rapporteur.analysis.keypoints.KeyPoint``). Each text is scored against its
    ``shortlist`` nearest key points (``None``: all of them); those reaching ``threshold`` are listed.
    """
    texts = list(texts)
    items = _key_point_items(key_points)
    if not texts or not items:
        return [[] for _ in texts]
    matcher = matcher or default_matcher()
    if shortlist is None or shortlist >= len(items):
        pairs = [(i, j) for i in range(len(texts)) for j in range(len(items))]
    else:
        from rapporteur.embed import MiniLMEmbedder, embed_texts

        embedder = embedder or MiniLMEmbedder()
        pairs = shortlist_pairs(embed_texts(embedder, texts, cache=cache),
                                embed_texts(embedder, [t for _, t in items], cache=cache), shortlist)
    probabilities = matcher.probabilities([texts[i] for i, _ in pairs], [items[j][1] for _, j in pairs])
    found: list[list[tuple[str, float]]] = [[] for _ in texts]
    for (i, j), p in zip(pairs, probabilities):
        if p >= threshold:
            found[i].append((items[j][0], round(float(p), 6)))
    return [sorted(row, key=lambda item: -item[1]) for row in found]
