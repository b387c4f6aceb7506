"""`rapporteur train matcher|stance`: build the fidelity models from ArgKP-2021 train, measure on dev.

Pairs each model learns from (train split only; dev is only ever measured):

- matcher: every labelled (key point, argument) pair of train; label 1 when most annotators said
  the argument makes the key point. Undecided pairs (no label) are left out.
- stance: (topic, argument) for every train argument and (topic, key point) for every train key
  point; label 1 when it argues for the topic (stance 1), 0 against (stance -1). With
  ``Recipe.claims`` it also reads a statement against a *claim* (a key point), the reading the
  synthesis needs to keep one side per key point (``claim_stance_pairs``).

The model file records the recipe, the sha256 of the training files, the training time and the dev
figures, so a shipped model says how it was made and how good it was.
"""
from __future__ import annotations

import hashlib
import re
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
    # the shipped matcher's recipe; ``negatives=True`` (key points of the argument's other side as
    # labelled non-matches) was measured on dev: leaderboard mAP 0.808 / 0.932 against 0.785 / 0.942
    # (strict up, relaxed down), so it is an option, not the default (fidelity/models/README.md)
    "matcher": Recipe(epochs=3.0, learning_rate=6e-5, negatives=False),
    "stance": Recipe(epochs=2.0, learning_rate=4e-5, negated_topics=True, claims=True, topic_share=0.4,
                     argument_partners=2),
}


@dataclass(frozen=True)
class Pairs:
    first: list[str]
    second: list[str]
    labels: list[float]


def matcher_pairs(data: ArgKP, negatives: bool = False, seed: int = 0) -> Pairs:
    """Every labelled (key point, argument) pair; with ``negatives``, also pairs that are no match
    by construction: each argument against a random key point of another topic, and each key point
    against the other key points of its topic and side (two experts' key points are distinct claims),
    so that the matcher also learns to say no outside the pairs annotators saw."""
    arguments = {a.id: a for a in data.arguments}
    key_points = {k.id: k for k in data.key_points}
    first, second, labels = [], [], []
    for (arg_id, kp_id), label in sorted(data.labels.items()):
        if arg_id in arguments and kp_id in key_points:
            first.append(key_points[kp_id].text)
            second.append(arguments[arg_id].text)
            labels.append(float(label))
    if negatives:
        rng = np.random.default_rng(seed)
        kps = sorted(data.key_points, key=lambda k: k.id)
        for a in sorted(data.arguments, key=lambda a: a.id):
            elsewhere = [k for k in kps if k.topic != a.topic]
            k = elsewhere[int(rng.integers(len(elsewhere)))]
            first.append(k.text)
            second.append(a.text)
            labels.append(0.0)
        for k in kps:
            for other in kps:
                if other is not k and other.topic == k.topic and other.stance == k.stance:
                    first.append(k.text)
                    second.append(other.text)
                    labels.append(0.0)
    return Pairs(first, second, labels)


def stance_pairs(data: ArgKP, negated_topics: bool = False, topic_share: float = 1.0, seed: int = 0) -> Pairs:
    items = [(a.topic, a.text, a.stance) for a in data.arguments]
    items += [(k.topic, k.text, k.stance) for k in data.key_points]
    if negated_topics:
        items += [(negated, text, -stance) for topic, text, stance in items if (negated := negate(topic))]
    if topic_share < 1.0:
        rng = np.random.default_rng(seed)
        items = [items[i] for i in sorted(rng.choice(len(items), int(len(items) * topic_share), replace=False))]
    return Pairs([t for t, _, _ in items], [x for _, x, _ in items], [1.0 if s > 0 else 0.0 for _, _, s in items])


def text_vectors(data: ArgKP) -> dict[str, np.ndarray]:
    """Unit all-MiniLM-L6-v2 embeddings of every argument and key point text (to pick hard pairs)."""
    from rapporteur.embed import MiniLMEmbedder

    texts = sorted({a.text for a in data.arguments} | {k.text for k in data.key_points})
    return dict(zip(texts, MiniLMEmbedder().encode(texts)))


def training_pairs(kind: str, data: ArgKP, recipe: Recipe) -> Pairs:
    if kind == "matcher":
        return matcher_pairs(data, recipe.negatives, recipe.seed)
    pairs = stance_pairs(data, recipe.negated_topics, recipe.topic_share, recipe.seed)
    vectors = text_vectors(data) if recipe.claims or recipe.argument_partners else None
    if recipe.claims:
        claims = claim_stance_pairs(data, vectors)
        pairs = Pairs(pairs.first + claims.first, pairs.second + claims.second, pairs.labels + claims.labels)
    if recipe.argument_partners:
        more = argument_side_pairs(data, vectors, recipe.argument_partners)
        pairs = Pairs(pairs.first + more.first, pairs.second + more.second, pairs.labels + more.labels)
    return pairs


def claim_stance_pairs(data: ArgKP, vectors: dict[str, np.ndarray], opposite: int = 15, near: int = 5,
                       negated: int = 5) -> Pairs:
    """(key point, statement) pairs read as claim against point: does the statement argue for the claim?

    For each key point of ``data`` (``vectors``: unit embeddings of every key point and argument text,
    used only to pick the hardest pairs, so the order is deterministic):

    - 1: every argument labelled as making it, and the ``near`` most similar same-side arguments of
      its topic (same side of the debate, neighbouring matter);
    - 0: the ``opposite`` most similar arguments of the other side that make some key point of theirs
      (on the same matter, arguing the other way: the pairs a side-blind matcher confuses), and the
      two most similar key points of the other side;
    - the claim negated (``negate_claim``: "X is Y" -> "X is not Y"), label flipped, against
      ``negated`` of its own arguments and ``negated`` of its hardest opposites.
    """
    made: dict[str, set[str]] = {}
    for (arg_id, kp_id), label in data.labels.items():
        if label == 1:
            made.setdefault(kp_id, set()).add(arg_id)
    makes_some = {a for args in made.values() for a in args}
    by_topic: dict[str, list] = {}
    for a in data.arguments:
        by_topic.setdefault(a.topic, []).append(a)
    kps_by_topic: dict[str, list] = {}
    for k in data.key_points:
        kps_by_topic.setdefault(k.topic, []).append(k)

    def nearest(kp, items, text_of, n):
        if n <= 0 or not items:
            return []
        scores = np.array([float(vectors[kp.text] @ vectors[text_of(x)]) for x in items])
        order = np.lexsort((np.arange(len(items)), -scores))[:n]
        return [items[i] for i in order]

    first, second, labels = [], [], []

    def add(claim, statement, label):
        first.append(claim)
        second.append(statement)
        labels.append(float(label))

    for kp in data.key_points:
        own = [a for a in by_topic.get(kp.topic, []) if a.id in made.get(kp.id, set())]
        same_side = [a for a in by_topic.get(kp.topic, []) if a.stance == kp.stance and a.id not in made.get(kp.id, set())]
        other_side = [a for a in by_topic.get(kp.topic, []) if a.stance != kp.stance and a.id in makes_some]
        rival_kps = [k for k in kps_by_topic[kp.topic] if k.stance != kp.stance]
        hard = nearest(kp, other_side, lambda a: a.text, opposite)
        for a in own:
            add(kp.text, a.text, 1)
        for a in nearest(kp, same_side, lambda a: a.text, near):
            add(kp.text, a.text, 1)
        for a in hard:
            add(kp.text, a.text, 0)
        for k in nearest(kp, rival_kps, lambda k: k.text, 2):
            add(kp.text, k.text, 0)
        flipped = negate_claim(kp.text)
        if flipped:
            for a in own[:negated]:
                add(flipped, a.text, 0)
            for a in hard[:negated]:
                add(flipped, a.text, 1)
    return Pairs(first, second, labels)


def argument_side_pairs(data: ArgKP, vectors: dict[str, np.ndarray], partners: int = 3) -> Pairs:
    """(argument, argument) pairs of one topic: 1 when both argue the same side, 0 when not. Each
    argument is paired with its ``partners`` most similar arguments of its own side and of the other
    (by ``vectors``: the pairs on one matter, which a reader of sides must tell apart)."""
    by_topic: dict[str, list] = {}
    for a in sorted(data.arguments, key=lambda a: a.id):
        by_topic.setdefault(a.topic, []).append(a)
    first, second, labels = [], [], []
    for arguments in by_topic.values():
        matrix = np.vstack([vectors[a.text] for a in arguments])
        similarity = matrix @ matrix.T
        np.fill_diagonal(similarity, -2.0)
        stance = np.array([a.stance for a in arguments])
        for i, a in enumerate(arguments):
            for same in (True, False):
                mask = (stance == a.stance) if same else (stance != a.stance)
                scores = np.where(mask, similarity[i], -3.0)
                for j in np.lexsort((np.arange(len(arguments)), -scores))[:partners]:
                    if scores[j] > -2.0:
                        first.append(a.text)
                        second.append(arguments[j].text)
                        labels.append(1.0 if same else 0.0)
    return Pairs(first, second, labels)


_AUXILIARY = re.compile(r"\b(cannot|is|are|was|were|can|could|should|will|would|must|may|does|do|did|has|have)\b(\s+not\b|n't\b)?",
                        re.IGNORECASE)


def negate_claim(claim: str) -> str | None:
    """"School uniforms are expensive" -> "School uniforms are not expensive" (and "are not" ->
    "are"): the first auxiliary verb negated or un-negated; None when the claim has none."""
    match = _AUXILIARY.search(claim)
    if not match:
        return None
    verb, negation = match.group(1), match.group(2)
    if verb.lower() == "cannot":
        replacement = verb[:3]
    elif negation:
        replacement = verb
    elif verb.lower() == "can":
        replacement = verb + "not"
    else:
        replacement = verb + " not"
    return claim[: match.start()] + replacement + claim[match.end():]


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


def claim_accuracy(scorer: PairScorer, data: ArgKP) -> float:
    """Share of ``claim_stance_pairs(data)`` (claim against statement) the model reads right."""
    pairs = claim_stance_pairs(data, text_vectors(data))
    p = scorer.probabilities(pairs.first, pairs.second)
    return float(np.mean((p >= 0.5) == (np.asarray(pairs.labels) > 0.5)))


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
        figures["claim_accuracy"] = round(claim_accuracy(scorer, data), 4)
    figures["seconds"] = round(seconds, 2)
    figures["arguments_per_second"] = round(len(data.arguments) / max(seconds, 1e-9), 1)
    return figures


def _provenance(directory: Path, split: str) -> dict[str, str]:
    names = [f"arguments_{split}.csv", f"key_points_{split}.csv", f"labels_{split}.csv"]
    return {name: hashlib.sha256((directory / name).read_bytes()).hexdigest() for name in names}


SPLITS = {"train": ("train",), "train+dev": ("train", "dev")}


def merged(parts: list[ArgKP]) -> ArgKP:
    """Several splits as one (their ids are distinct in ArgKP-2021)."""
    return ArgKP([a for p in parts for a in p.arguments], [k for p in parts for k in p.key_points],
                 {pair: label for p in parts for pair, label in p.labels.items()})


def train(
    kind: str,
    out: str | Path | None = None,
    recipe: Recipe | None = None,
    directory: str | Path | None = None,
    progress: Callable[[int, int, float], None] | None = None,
    split: str = "train",
) -> tuple[Path, dict]:
    """Train ``kind`` on ArgKP ``split`` ("train", or "train+dev" for the shipped models, as the
    shared task allowed), measure it on dev, write the model file; return (path, meta). Trained on
    train + dev, the dev figures are no measurement: the metadata says so."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    recipe = recipe or RECIPES[kind]
    root = Path(directory) if directory else argkp_dir()
    train_split, dev = merged([load_split(name, root) for name in SPLITS[split]]), load_split("dev", root)
    pairs = training_pairs(kind, train_split, recipe)
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
        "data": f"IBM Debater ArgKP-2021 (CDLA-Sharing-1.0), {split} split(s); figures on dev"
                + (" (seen in training: not a measurement)" if "dev" in SPLITS[split] else ""),
        "trained_on": list(SPLITS[split]),
        "train_files_sha256": {name: _provenance(root, name) for name in SPLITS[split]},
        "dev": evaluate(kind, scorer, dev),
    }
    artifact.save(path, kind, model.encoder, model.head_tensors(), meta)
    return path, meta


def load_scorer(kind: str, path: str | Path | None = None) -> PairScorer:
    """A trained pair model from its file (by default the one shipped in the package), set to run
    as ``RAPPORTEUR_RUNTIME`` says (``fidelity.runtime``)."""
    from rapporteur.fidelity import runtime

    path = Path(path) if path else artifact.MODELS_DIR / f"{kind}.safetensors"
    encoder, head, meta = artifact.load(path, kind)
    model = PairModel(encoder)
    model.load_head(head)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    chosen = runtime.chosen(kind)
    suffix = runtime.INT8_SUFFIX if chosen == "int8" else ""  # int8 readings differ: cached apart
    scorer = PairScorer(model, meta, f"rapporteur-{kind}@{digest}{suffix}", runtime=chosen, kind=kind)
    # how a Dask worker loads the same model (``rapporteur.cluster``): the shipped file by kind, any
    # other by its path (which must then hold the same file on every worker)
    scorer.source = (kind, None if path.parent == artifact.MODELS_DIR and path.stem == kind else str(path))
    return scorer
