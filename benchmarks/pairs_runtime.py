"""The shipped matcher on real ArgKP-2021 dev pairs, through PyTorch and through ONNX Runtime:
pairs per second and how far the probabilities differ.

    .venv/bin/python benchmarks/pairs_runtime.py [--pairs 1500] [--repeats 2]

Needs the ``onnx`` extra (``pip install -e '.[onnx]'``; the ``test`` extra has it too).
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1500)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()

    import numpy as np
    import torch

    from rapporteur.fidelity.data import load_split
    from rapporteur.fidelity.train import load_scorer

    dev = load_split("dev")
    arguments = {a.id: a.text for a in dev.arguments}
    key_points = {k.id: k.text for k in dev.key_points}
    pairs = sorted(dev.labels)[: args.pairs]
    first, second = [key_points[k] for _, k in pairs], [arguments[a] for a, _ in pairs]
    scorers = {}
    for runtime in ("torch", "onnx"):
        os.environ["RAPPORTEUR_RUNTIME"] = runtime
        scorers[runtime] = load_scorer("matcher")
        scorers[runtime].probabilities(first[:8], second[:8])  # export and warm up
    print(f"matcher, {len(pairs)} dev pairs, torch threads {torch.get_num_threads()}, cores {os.cpu_count()}")
    for repeat in range(args.repeats):
        results = {}
        for runtime, scorer in scorers.items():
            started = time.perf_counter()
            results[runtime] = scorer.probabilities(first, second)
            print(f"  run {repeat + 1} {runtime:<5} {len(pairs) / (time.perf_counter() - started):7.1f} pairs/s")
        difference = np.abs(results["onnx"] - results["torch"])
        agree = ((results["onnx"] >= 0.5) == (results["torch"] >= 0.5)).mean()
        print(f"  largest |p_onnx - p_torch| {difference.max():.2e}; same decision at 0.5: {agree:.4f}")


if __name__ == "__main__":
    main()
