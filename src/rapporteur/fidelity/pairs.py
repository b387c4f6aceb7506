"""A MiniLM cross-encoder: one judgement about a pair of texts, read as a probability.

The two texts go through all-MiniLM-L6-v2 together (``[CLS] first [SEP] second [SEP]``, token types
0 and 1), so every layer sees both; the mean of the last layer feeds a linear head that gives one
logit, and ``sigmoid(logit)`` is the probability that the pair holds (the statement makes the key
point; the statement is on the side of the topic). The matcher and the stance model are both this,
trained on different pairs (``fidelity.train``).

Training freezes the word, position and type embeddings (half of MiniLM's parameters, and the half
a few thousand pairs cannot teach) and tunes the transformer layers and the head, so a model file is
the layers' difference from the published weights in float16 (``fidelity.artifact``).
"""
from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import asdict, dataclass
from typing import Callable, Sequence

import numpy as np
import torch
from torch import nn

from rapporteur.fidelity.encoder import HIDDEN, MiniLM, Tokenizer, load_base, mean_pool


@dataclass(frozen=True)
class Recipe:
    """Everything that decides a trained model, besides the data (stored in the model file)."""

    epochs: float = 2.0
    batch_size: int = 32
    learning_rate: float = 4e-5
    head_learning_rate: float = 1e-3
    warmup: float = 0.1
    weight_decay: float = 0.01
    tune_from_layer: int = 0
    seed: int = 13
    threads: int = 2
    # stance only: also learn from each topic negated ("We should ban X" -> "We should not ban X")
    # with the label flipped, so the model must read the topic rather than learn one side per topic
    negated_topics: bool = False
    # stance only: also learn the claim reading (a statement for or against a key point), from
    # ``train.claim_stance_pairs``; ``topic_share`` of the topic pairs is kept beside them
    claims: bool = False
    topic_share: float = 1.0
    # stance only: each argument also read against this many arguments of each side (same matter)
    argument_partners: int = 0
    # matcher only: also learn from pairs that are no match by construction (``train.matcher_pairs``)
    negatives: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


class PairModel(nn.Module):
    """MiniLM over a pair of texts, mean-pooled, and a linear head to one logit."""

    def __init__(self, encoder: MiniLM | None = None):
        super().__init__()
        self.encoder = encoder or load_base()
        self.head = nn.Linear(HIDDEN, 1)
        nn.init.normal_(self.head.weight, std=0.02)
        nn.init.zeros_(self.head.bias)

    def forward(self, ids: torch.Tensor, types: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder.run(ids, mask, token_type=types)
        return self.head(mean_pool(hidden, mask)).squeeze(-1)

    def head_tensors(self) -> dict[str, torch.Tensor]:
        return {"weight": self.head.weight, "bias": self.head.bias}

    def load_head(self, tensors: dict[str, torch.Tensor]) -> None:
        with torch.no_grad():
            self.head.weight.copy_(tensors["weight"])
            self.head.bias.copy_(tensors["bias"])


def pad_pairs(encoded: Sequence[tuple[list[int], list[int]]]):
    width = max(len(ids) for ids, _ in encoded)
    ids = torch.zeros((len(encoded), width), dtype=torch.long)
    types = torch.zeros((len(encoded), width), dtype=torch.long)
    for i, (row, kinds) in enumerate(encoded):
        ids[i, : len(row)] = torch.as_tensor(row)
        types[i, : len(kinds)] = torch.as_tensor(kinds)
    return ids, types, ids != 0


class PairScorer:
    """A trained pair model in inference mode: ``probabilities(first, second)``.

    The pairs run through PyTorch, or through ONNX Runtime as ``runtime`` says (``fidelity.runtime``:
    ``onnx``, the same float32 network exported on first use; ``int8``, that network quantised, whose
    ``model_id`` then ends in ``+int8``). ``kind`` (matcher, stance) names which layers int8 keeps."""

    def __init__(self, model: PairModel, meta: dict, model_id: str, batch_size: int = 64,
                 runtime: str = "torch", kind: str | None = None):
        self.model = model.eval()
        self.meta = meta
        self.model_id = model_id
        self.batch_size = batch_size
        self.tokenizer = Tokenizer()
        self._lock = threading.Lock()
        self._session = None
        self._requested = runtime
        self._kind = kind
        self._runtime: str | None = None  # set up on first use
        self.source: tuple[str, str | None] | None = None  # (kind, path): set by ``train.load_scorer``

    @property
    def runtime(self) -> str:
        if self._runtime is None:
            from rapporteur.fidelity.runtime import onnx_session

            self._session = onnx_session(self.model, self.model_id, self._requested, self._kind)
            self._runtime = self._requested if self._session is not None else "torch"
        return self._runtime

    @torch.inference_mode()
    def logits(self, first: Sequence[str], second: Sequence[str]) -> np.ndarray:
        if len(first) != len(second):
            raise ValueError(f"{len(first)} first texts but {len(second)} second texts")
        encoded = self.tokenizer.pair_ids(first, second)
        order = sorted(range(len(encoded)), key=lambda i: (len(encoded[i][0]), i))
        out = np.zeros(len(encoded), dtype=np.float32)
        with self._lock:
            onnx = self.runtime != "torch"
            for begin in range(0, len(order), self.batch_size):
                rows = order[begin : begin + self.batch_size]
                ids, types, mask = pad_pairs([encoded[i] for i in rows])
                if onnx:
                    feed = {"ids": ids.numpy(), "types": types.numpy(), "mask": mask.numpy()}
                    out[rows] = self._session.run(None, feed)[0]
                else:
                    out[rows] = self.model(ids, types, mask).numpy()
        return out

    def probabilities(self, first: Sequence[str], second: Sequence[str]) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logits(first, second).astype(np.float64)))


def train_pairs(
    first: Sequence[str],
    second: Sequence[str],
    labels: Sequence[float],
    recipe: Recipe = Recipe(),
    progress: Callable[[int, int, float], None] | None = None,
) -> PairModel:
    """Fine-tune a fresh PairModel on labelled pairs (binary cross-entropy), seeded by the recipe."""
    torch.manual_seed(recipe.seed)
    random.seed(recipe.seed)
    torch.set_num_threads(recipe.threads)
    model = PairModel()
    encoder_params = []
    for name, parameter in model.encoder.named_parameters():
        tuned = name.startswith("layers.") and int(name.split(".")[1]) >= recipe.tune_from_layer
        parameter.requires_grad_(tuned)
        if tuned:
            encoder_params.append(parameter)
    decay = [p for p in encoder_params if p.dim() > 1]
    no_decay = [p for p in encoder_params if p.dim() <= 1]
    optimiser = torch.optim.AdamW(
        [
            {"params": decay, "weight_decay": recipe.weight_decay, "lr": recipe.learning_rate},
            {"params": no_decay, "weight_decay": 0.0, "lr": recipe.learning_rate},
            {"params": list(model.head.parameters()), "weight_decay": 0.0, "lr": recipe.head_learning_rate},
        ]
    )
    tokenizer = Tokenizer()
    encoded = tokenizer.pair_ids(first, second)
    targets = torch.as_tensor(np.asarray(labels, dtype=np.float32))
    batches = _length_batches(encoded, recipe.batch_size, recipe.seed, recipe.epochs)
    total = len(batches)
    warmup = max(1, int(total * recipe.warmup))
    bases = [group["lr"] for group in optimiser.param_groups]
    loss_fn = nn.BCEWithLogitsLoss()
    model.train()
    started = time.perf_counter()
    running = 0.0
    for step, rows in enumerate(batches, 1):
        factor = step / warmup if step <= warmup else max(0.0, (total - step) / max(1, total - warmup))
        for group, base in zip(optimiser.param_groups, bases):
            group["lr"] = base * factor
        logits = model(*pad_pairs([encoded[i] for i in rows]))
        loss = loss_fn(logits, targets[rows])
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(encoder_params + list(model.head.parameters()), 1.0)
        optimiser.step()
        value = loss.item()
        running = 0.98 * running + 0.02 * value if step > 1 else value
        if progress:
            progress(step, total, running)
    model.eval()
    model.training_seconds = time.perf_counter() - started  # type: ignore[attr-defined]
    return model


def _length_batches(encoded, batch_size: int, seed: int, epochs: float) -> list[list[int]]:
    """Shuffled batches of pairs of similar length (little padding), reshuffled every epoch."""
    rng = random.Random(seed)
    batches: list[list[int]] = []
    whole, part = int(epochs), epochs - int(epochs)
    for epoch in range(math.ceil(epochs)):
        order = list(range(len(encoded)))
        rng.shuffle(order)
        # sort inside windows of 50 batches: similar lengths together, still random overall
        window = batch_size * 50
        chunks = []
        for begin in range(0, len(order), window):
            block = sorted(order[begin : begin + window], key=lambda i: len(encoded[i][0]))
            chunks += [block[j : j + batch_size] for j in range(0, len(block), batch_size)]
        rng.shuffle(chunks)
        if epoch == whole and part:
            chunks = chunks[: int(len(chunks) * part)]
        batches += chunks
    return batches


PAIR_SEPARATOR = "\u241e"  # SYMBOL FOR RECORD SEPARATOR: never in statements, splits a cached pair


class _PairsAsTexts:
    """A pair scorer seen through the Embedder protocol (one number per "first␞second" text), so
    pair probabilities are batched and cached exactly like embeddings, under the model's own id."""

    dimension = 1

    def __init__(self, scorer: PairScorer):
        self.scorer = scorer
        self.model_id = scorer.model_id
        # how a Dask worker rebuilds it (``rapporteur.cluster``); None for a scorer not loaded from a file
        self.recipe = None if scorer.source is None else (
            "rapporteur.fidelity.pairs:pairs_as_texts", (("kind", scorer.source[0]), ("path", scorer.source[1])))

    def encode(self, joined: Sequence[str]) -> np.ndarray:
        first, second = zip(*(text.split(PAIR_SEPARATOR, 1) for text in joined))
        return self.scorer.probabilities(first, second).astype(np.float32)[:, None]


def pairs_as_texts(kind: str, path: str | None = None) -> _PairsAsTexts:
    """A pair model loaded from its file, seen as an embedder (what a Dask worker builds)."""
    from rapporteur.fidelity.train import load_scorer

    return _PairsAsTexts(load_scorer(kind, path))


def cached_probabilities(scorer: PairScorer, first: Sequence[str], second: Sequence[str], cache=None,
                         progress=None, stage: str = "matching") -> np.ndarray:
    """``scorer.probabilities`` through the embedding cache: a pair already scored is not run again."""
    from rapporteur.embed import embed_texts

    if not len(first):
        return np.zeros(0)
    joined = [f"{a}{PAIR_SEPARATOR}{b}" for a, b in zip(first, second)]
    return embed_texts(_PairsAsTexts(scorer), joined, cache=cache, batch_size=512,
                       progress=progress, stage=stage)[:, 0].astype(np.float64)
