"""Readings of a (claim, statement) pair: does the statement make the claim, and on which side is it?

Two readers serve the key point stages (``keypoints``, ``convergence``):

- ``LearnedReadings``: the matcher and the stance model (``rapporteur.fidelity``, trained on IBM's
  ArgKP-2021), through the embedding cache so a pair already read is not read again. ``matches``
  is the probability that the statement makes the claim's point, whatever its side (the matcher
  was trained on pairs of one side of a debate); ``sides`` is the probability that it argues *for*
  the claim (the stance model, trained on claims and arguments against statements), read both ways
  round and averaged: "same side" is symmetric, and the model alone is not (on ArgKP dev the average
  kept 0.90 of key point members on their side against 0.86 for one reading).
- ``CosineReadings``: without the learned models (``--no-learned``), ``matches`` is the cosine of
  the two embeddings and ``sides`` reads the lexical cues of ``analysis.stance`` (0 for a
  rejection, 1 otherwise).

Both take aligned lists (``claims[i]`` with ``statements[i]``) and return one number per pair.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

Progress = Callable[[str, int, int], None]


@dataclass
class LearnedReadings:
    matcher: object  # rapporteur.fidelity.pairs.PairScorer
    stance: object  # rapporteur.fidelity.pairs.PairScorer
    cache: object | None = None  # rapporteur.embed.EmbeddingCache
    progress: Progress | None = None
    learned: bool = True

    def matches(self, claims: Sequence[str], statements: Sequence[str]) -> np.ndarray:
        from rapporteur.fidelity.pairs import cached_probabilities

        return cached_probabilities(self.matcher, claims, statements, self.cache, self.progress, "matching")

    def sides(self, claims: Sequence[str], statements: Sequence[str]) -> np.ndarray:
        from rapporteur.fidelity.pairs import cached_probabilities

        forward = cached_probabilities(self.stance, claims, statements, self.cache, self.progress, "reading sides")
        backward = cached_probabilities(self.stance, statements, claims, self.cache, self.progress, "reading sides")
        return (forward + backward) / 2

    @property
    def model_ids(self) -> dict[str, str]:
        return {"matcher": self.matcher.model_id, "stance_model": self.stance.model_id}


@dataclass
class CosineReadings:
    embedder: object  # rapporteur.embed.Embedder
    cache: object | None = None
    learned: bool = False

    def matches(self, claims: Sequence[str], statements: Sequence[str]) -> np.ndarray:
        from rapporteur.embed import embed_texts

        if not len(claims):
            return np.zeros(0)
        a = embed_texts(self.embedder, list(claims), cache=self.cache)
        b = embed_texts(self.embedder, list(statements), cache=self.cache)
        return np.einsum("ij,ij->i", a, b).astype(np.float64)

    def sides(self, claims: Sequence[str], statements: Sequence[str]) -> np.ndarray:
        from rapporteur.analysis.stance import Stance, stance_of

        return np.array([0.0 if stance_of(s) is Stance.OPPOSE else 1.0 for s in statements])

    @property
    def model_ids(self) -> dict[str, str | None]:
        return {"matcher": None, "stance_model": None}


def shipped_models() -> tuple[object, object]:
    """The matcher and the stance model the package ships, as (matcher, stance) scorers."""
    from rapporteur.fidelity.matcher import default_matcher
    from rapporteur.fidelity.stance_model import default_stance_model

    return default_matcher().scorer, default_stance_model().scorer


def readings_of(document: dict, embedder, cache=None, models: Callable[[], tuple] = shipped_models):
    """The readings a synthesis document ran with: the learned models (``models()``, loaded only when
    needed), or cosine and cues when it ran without them (``--no-learned``: ``settings.matcher`` empty)."""
    ran = document.get("settings") or {}
    if "matcher" in ran and not ran["matcher"]:
        return CosineReadings(embedder, cache)
    matcher, stance = models()
    return LearnedReadings(matcher, stance, cache)


# Platt scaling of multilingual-e5's centred cosine to "the statement makes the claim", fitted on
# ArgKP-2021 train's labelled pairs (``benchmarks/languages.py --calibrate`` prints the fit and its
# dev figures): the same scale as the matcher's probability, so one threshold serves both.
E5_CALIBRATION = {"slope": 4.5994, "intercept": -3.1794}


@dataclass
class MixedReadings:
    """English pairs by the learned models; a pair with a text in another language by the
    multilingual embedding's cosine, calibrated to a probability (``E5_CALIBRATION``), and its side by
    the cues of the statement's language (0 for a rejection, 1 otherwise)."""

    learned_readings: LearnedReadings
    cosine: CosineReadings
    language: dict[str, str]  # text -> ISO 639-1 code; a text not in it is English
    learned: bool = True

    def _english(self, claims: Sequence[str], statements: Sequence[str]) -> np.ndarray:
        lang = self.language
        return np.array([lang.get(c, "en") == "en" and lang.get(s, "en") == "en" for c, s in zip(claims, statements)],
                        dtype=bool)

    def _split(self, claims, statements, english_reading, other_reading) -> np.ndarray:
        english = self._english(claims, statements)
        out = np.zeros(len(claims))
        for mask, read in ((english, english_reading), (~english, other_reading)):
            index = np.flatnonzero(mask)
            if len(index):
                out[index] = read([claims[i] for i in index], [statements[i] for i in index])
        return out

    def matches(self, claims: Sequence[str], statements: Sequence[str]) -> np.ndarray:
        def calibrated(a, b):
            cosine = self.cosine.matches(a, b)
            return 1 / (1 + np.exp(-(E5_CALIBRATION["slope"] * cosine + E5_CALIBRATION["intercept"])))

        return self._split(claims, statements, self.learned_readings.matches, calibrated)

    def sides(self, claims: Sequence[str], statements: Sequence[str]) -> np.ndarray:
        from rapporteur.analysis.stance import Stance
        from rapporteur.lang import rules_for

        def cues(a, b):
            return np.array([0.0 if (rules_for(self.language.get(s, "en")) or rules_for("en")).stance_of(s)
                             is Stance.OPPOSE else 1.0 for s in b])

        return self._split(claims, statements, self.learned_readings.sides, cues)

    @property
    def model_ids(self) -> dict[str, str]:
        return self.learned_readings.model_ids
