"""Is a statement for or against a topic or key point? A MiniLM cross-encoder trained on ArgKP train.

``StanceModel.probability_for(references, statements)`` reads each (reference, statement) pair and
returns the probability that the statement argues for the reference (a debate topic such as "We
should abandon the use of school uniform", or a key point); below 0.5 it argues against. It was
trained on the stance of every ArgKP train argument and key point toward its topic; its accuracy on
dev's unseen topics is stored in the model file and printed by ``benchmarks/kpa.py``.

It judges sides, not relevance: a statement about something else still gets a probability, so the
synthesis asks it only about statements already matched to a key point.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from rapporteur.fidelity.pairs import PairScorer


class StanceModel:
    def __init__(self, path: str | Path | None = None, scorer: PairScorer | None = None):
        from rapporteur.fidelity.train import load_scorer

        self.scorer = scorer or load_scorer("stance", path)
        self.model_id = self.scorer.model_id
        self.meta = self.scorer.meta

    def probability_for(self, references: Sequence[str], statements: Sequence[str]) -> np.ndarray:
        """Aligned pairs: the probability that ``statements[i]`` argues for ``references[i]``."""
        return self.scorer.probabilities(list(references), list(statements))


@lru_cache(maxsize=1)
def default_stance_model() -> StanceModel:
    """The shipped stance model, loaded once per process."""
    return StanceModel()
