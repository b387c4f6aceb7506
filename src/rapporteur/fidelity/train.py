"""`rapporteur train matcher|stance`: build the fidelity models from ArgKP-2021 train, measure on dev.

Pairs each model learns from (train split only; dev is only ever measured):

- matcher: every labelled (key point, argument) pair of train; label 1 when most annotators said
  the argument makes the key point. Undecided pairs (no label) are left out.
- stance: (topic, argument) for every train argument and (topic, key point) for every train key
  point; label 1 when it argues for the topic (stance 1), 0 against (stance -1).

The model file records the recipe, the sha256 of the training files, the training time and the dev
figures, so a shipped model says how it was made and how good it was.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from rapporteur.fidelity import artifact
from rapporteur.fidelity.data import ArgKP, argkp_dir, load_split
from rapporteur.fidelity.pairs import PairModel, PairScorer, Recipe, train_pairs
from rapporteur.fidelity.scoring import kpa_map

KINDS = ("matcher", "stance")

# The shipped recipes, chosen on dev (see fidelity/models/README.md for what else was tried).
RECIPES = {
    "matcher": Recipe(epochs=3.0, learning_rate=6e-5),
    "stance": Recipe(epochs=3.0, learning_rate=4e-5, negated_topics=True),
}


@dataclass(frozen=True)
class Pairs:
    first: list[str]
    second: list[str]
    labels: list[float]


def matcher_pairs(data: ArgKP) -> Pairs:
    arguments = {a.id: a for a in data.arguments}
    key_points = {k.id: k for k in data.key_points}
    first, second, labels = [], [], []
    for (arg_id, kp_id), label in sorted(data.labels.items()):
        if arg_id in arguments and kp_id in key_points:
            first.append(key_points[kp_id].text)
            second.append(arguments[arg_id].text)
            labels.append(float(label))
    return Pairs(first, second, labels)


def stance_pairs(data: ArgKP, negated_topics: bool = False) -> Pairs:
    items = [(a.topic, a.text, a.stance) for a in data.arguments]
    items += [(k.topic, k.text, k.stance) for k in data.key_points]
    if negated_topics:
        items += [(negated, text, -stance) for topic, text, stance in items if (negated := negate(topic))]
    return Pairs([t for t, _, _ in items], [x for _, x, _ in items], [1.0 if s > 0 else 0.0 for _, _, s in items])


def negate(topic: str) -> str | None:
    """"We should ban X" -> "We should not ban X"; None when the topic has no "should"."""
    head, sep, tail = topic.partition(" should ")
    return f"{head} should not {tail}" if sep and not tail.startswith("not ") else None


def predict_matches(scorer: PairScorer, data: ArgKP) -> dict[str, dict[str, float]]:
    """Shared-task predictions: each argument against the key points of its topic and stance."""
    candidates = data.candidates()
    keys, first, second = [], [], []
    for a in data.arguments:
        for kp in candidates[a.id]:
            keys.append((a.id, kp.id))
            first.append(kp.text)
            second.append(a.text)
    predictions: dict[str, dict[str, float]] = {}
    for (arg_id, kp_id), p in zip(keys, scorer.probabilities(first, second)):
        predictions.setdefault(arg_id, {})[kp_id] = round(float(p), 6)
    return predictions


def stance_accuracy(scorer: PairScorer, data: ArgKP) -> float:
    """Share of ``data``'s arguments whose side of their topic the model gets right."""
    p = scorer.probabilities([a.topic for a in data.arguments], [a.text for a in data.arguments])
    truth = np.array([a.stance > 0 for a in data.arguments])
    return float(np.mean((p >= 0.5) == truth))


def evaluate(kind: str, scorer: PairScorer, data: ArgKP) -> dict:
    """The figures a model is judged by on ``data`` (dev), with its speed."""
    started = time.perf_counter()
    if kind == "matcher":
        predictions = predict_matches(scorer, data)
        seconds = time.perf_counter() - started
        final, leaderboard = kpa_map(predictions, data, "final"), kpa_map(predictions, data, "leaderboard")
        figures = {
            "map_strict": round(final.strict, 4), "map_relaxed": round(final.relaxed, 4),
            "leaderboard_map_strict": round(leaderboard.strict, 4),
            "leaderboard_map_relaxed": round(leaderboard.relaxed, 4),
            "pairs": sum(len(v) for v in predictions.values()),
        }
    else:
        figures = {"accuracy": round(stance_accuracy(scorer, data), 4)}
        seconds = time.perf_counter() - started
    figures["seconds"] = round(seconds, 2)
    figures["arguments_per_second"] = round(len(data.arguments) / max(seconds, 1e-9), 1)
    return figures


def _provenance(directory: Path, split: str) -> dict[str, str]:
    names = [f"arguments_{split}.csv", f"key_points_{split}.csv", f"labels_{split}.csv"]
    return {name: hashlib.sha256((directory / name).read_bytes()).hexdigest() for name in names}


def train(
    kind: str,
    out: str | Path | None = None,
    recipe: Recipe | None = None,
    directory: str | Path | None = None,
    progress: Callable[[int, int, float], None] | None = None,
) -> tuple[Path, dict]:
    """Train ``kind`` on ArgKP train, measure it on dev, write the model file; return (path, meta)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    recipe = recipe or RECIPES[kind]
    root = Path(directory) if directory else argkp_dir()
    train_split, dev = load_split("train", root), load_split("dev", root)
    pairs = matcher_pairs(train_split) if kind == "matcher" else stance_pairs(train_split, recipe.negated_topics)
    started = time.perf_counter()
    model = train_pairs(pairs.first, pairs.second, pairs.labels, recipe, progress)
    training_seconds = time.perf_counter() - started
    path = Path(out) if out else artifact.MODELS_DIR / f"{kind}.safetensors"
    artifact.save(path, kind, model.encoder, model.head_tensors(), {})
    scorer = load_scorer(kind, path)  # measure the file as written (its deltas are quantised)
    meta = {
        "recipe": recipe.to_dict(),
        "training_pairs": len(pairs.labels),
        "training_seconds": round(training_seconds, 1),
        "data": "IBM Debater ArgKP-2021 (CDLA-Sharing-1.0), train split; figures on dev",
        "train_files_sha256": _provenance(root, "train"),
        "dev": evaluate(kind, scorer, dev),
    }
    artifact.save(path, kind, model.encoder, model.head_tensors(), meta)
    return path, meta


def load_scorer(kind: str, path: str | Path | None = None) -> PairScorer:
    """A trained pair model from its file (by default the one shipped in the package)."""
    path = Path(path) if path else artifact.MODELS_DIR / f"{kind}.safetensors"
    encoder, head, meta = artifact.load(path, kind)
    model = PairModel(encoder)
    model.load_head(head)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return PairScorer(model, meta, f"rapporteur-{kind}@{digest}")
