"""Another checkout's ``rapporteur synthesize`` as a key point generator, for ``benchmarks/kpa.py``.

    PYTHONPATH=CHECKOUT/src python benchmarks/peers/synthesis_generation.py IN.json OUT.json

Runs whatever ``rapporteur`` is first on the path (the wave-1 pipeline, from a git worktree of the
commit before issue 10) on each group of IN.json (``{"groups": {name: [{"id", "text"}]}}``), each
written as a statements CSV (one stakeholder per argument), and writes each group's synthesis JSON
to OUT.json (``{name: {"synthesis": …}}``); ``kpa.py`` scores it exactly as it scores ours.
"""
from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def main() -> int:
    import torch

    from rapporteur.embed import EmbeddingCache, MiniLMEmbedder
    from rapporteur.ingest import read_path
    from rapporteur.synthesis import SynthesisOptions, synthesize

    torch.set_num_threads(2)
    job = json.load(open(sys.argv[1], encoding="utf-8"))
    embedder = MiniLMEmbedder()
    cache = EmbeddingCache(job.get("cache"))
    out = {}
    for name, docs in job["groups"].items():
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "statements.csv"
            with open(path, "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(["id", "stakeholder", "type", "text"])
                for d in docs:
                    writer.writerow([d["id"], d["id"], "other", d["text"]])
            corpus = read_path(path)
        out[name] = {"synthesis": synthesize(corpus, SynthesisOptions(title=name), embedder=embedder,
                                             cache=cache).to_dict()}
        print(f"  {name}: {len(out[name]['synthesis']['key_points'])} key points", file=sys.stderr, flush=True)
    json.dump(out, open(sys.argv[2], "w", encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
