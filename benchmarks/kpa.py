"""Key Point Analysis 2021, track 1, on the ArgKP-2021 dev split (topics never seen in training).

    python benchmarks/kpa.py                       # shipped matcher and stance model, and the baseline
    python benchmarks/kpa.py --predictions P.json  # score any matcher's predictions instead
    python benchmarks/kpa.py --matcher M.safetensors --stance S.safetensors

Prints strict and relaxed mAP under the task's final scoring (AP times the share of positives in
the top half; the figure the issue's goal is stated in) and under the 2021 leaderboard scoring (AP
alone), for the zero-shot all-MiniLM-L6-v2 cosine baseline and for the trained matcher; then the
stance model's accuracy on dev; then speeds in arguments per second on this machine.

Data: IBM Debater ArgKP-2021 (CDLA-Sharing-1.0, (c) IBM 2020; Bar-Haim et al., ACL 2020).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def _line(name: str, predictions, dev, seconds: float | None = None) -> None:
    from rapporteur.fidelity.scoring import kpa_map

    final, board = kpa_map(predictions, dev, "final"), kpa_map(predictions, dev, "leaderboard")
    speed = f"{len(dev.arguments) / seconds:8.1f} args/s" if seconds else ""
    print(f"{name:<28} {final.strict:7.4f} {final.relaxed:8.4f}   {board.strict:7.4f} {board.relaxed:8.4f}   {speed}")


def baseline(dev):
    """Zero-shot: cosine similarity of all-MiniLM-L6-v2 embeddings."""
    from rapporteur.embed import MiniLMEmbedder

    embedder = MiniLMEmbedder()
    embedder.encode(["load the model before the clock starts"])
    started = time.perf_counter()
    a = embedder.encode([x.text for x in dev.arguments])
    k = embedder.encode([x.text for x in dev.key_points])
    index = {kp.id: i for i, kp in enumerate(dev.key_points)}
    candidates = dev.candidates()
    predictions = {x.id: {kp.id: float(a[i] @ k[index[kp.id]]) for kp in candidates[x.id]}
                   for i, x in enumerate(dev.arguments)}
    return predictions, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--predictions", type=Path, help="score this predictions JSON only")
    parser.add_argument("--matcher", type=Path, help="matcher model file (default: shipped)")
    parser.add_argument("--stance", type=Path, help="stance model file (default: shipped)")
    parser.add_argument("--data", type=Path, help="ArgKP-2021 folder")
    args = parser.parse_args()

    import torch

    from rapporteur.fidelity.data import load_split
    from rapporteur.fidelity.scoring import read_predictions
    from rapporteur.fidelity.train import load_scorer, predict_matches, stance_accuracy

    torch.set_num_threads(2)
    dev = load_split("dev", args.data)
    print(f"ArgKP-2021 dev: {len(dev.arguments)} arguments, {len(dev.key_points)} key points, "
          f"{len({a.topic for a in dev.arguments})} topics; torch threads {torch.get_num_threads()}")
    print(f"{'':<28} {'final scoring':^17}   {'leaderboard':^17}")
    print(f"{'matcher':<28} {'strict':>7} {'relaxed':>8}   {'strict':>7} {'relaxed':>8}")
    if args.predictions:
        _line(args.predictions.name, read_predictions(args.predictions), dev)
        return 0
    predictions, seconds = baseline(dev)
    _line("zero-shot MiniLM cosine", predictions, dev, seconds)
    matcher = load_scorer("matcher", args.matcher)
    started = time.perf_counter()
    predictions = predict_matches(matcher, dev)
    seconds = time.perf_counter() - started
    _line("rapporteur matcher", predictions, dev, seconds)
    pairs = sum(len(v) for v in predictions.values())
    print(f"  {pairs} (argument, key point) pairs read in {seconds:.1f} s: {pairs / seconds:.0f} pairs/s")
    recipe = matcher.meta.get("recipe", {})
    print(f"  matcher trained in {matcher.meta.get('training_seconds')} s on {matcher.meta.get('training_pairs')} "
          f"pairs; recipe {recipe}")

    stance = load_scorer("stance", args.stance)
    started = time.perf_counter()
    accuracy = stance_accuracy(stance, dev)
    seconds = time.perf_counter() - started
    print(f"stance accuracy on dev       {accuracy:.4f}   ({len(dev.arguments) / seconds:.1f} args/s; trained in "
          f"{stance.meta.get('training_seconds')} s on {stance.meta.get('training_pairs')} pairs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
