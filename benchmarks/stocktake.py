"""Stocktake several General Debate years about a subject, cold then warm; print wall time, peak memory.

    .venv/bin/python benchmarks/stocktake.py --years 2015-2019 --about migration [--out DIR]

The first run uses a fresh embedding cache (cold: every sentence of every year is embedded); the
second reuses it (warm). Also prints, per key point, its trend and its prevalence per year, so the
closing note can say what emerged and what held.
"""
from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "data" / "ungdc" / "UNGDC_1946-2024.tar.xz"


def run(args, cache_path: Path, embedder):
    from rapporteur.embed import EmbeddingCache
    from rapporteur.ingest import read_path
    from rapporteur.synthesis import SynthesisOptions, stocktake

    first, _, last = args.years.partition("-")
    started = time.perf_counter()
    corpus = read_path(args.archive, years=(int(first), int(last or first)))
    options = SynthesisOptions(title=f"UN General Debate {args.years} on {args.about}", about=args.about)
    document = stocktake(corpus, options, by="year", embedder=embedder, cache=EmbeddingCache(cache_path))
    return document, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", default="2015-2019")
    parser.add_argument("--about", default="migration")
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    parser.add_argument("--out", type=Path, default=None, help="also write the report here")
    parser.add_argument("--no-warm", action="store_true", help="the cold run only")
    args = parser.parse_args()

    from rapporteur.embed import MiniLMEmbedder
    from rapporteur.report import write_document

    cache_path = Path(tempfile.mkdtemp()) / "embeddings.sqlite"
    embedder = MiniLMEmbedder()
    document, cold = run(args, cache_path, embedder)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(f"stocktake cold: {cold:.1f} s, peak {peak:.2f} GB, {document['counts']['contributions']} contributions, "
          f"{document['counts']['points']} points, {document['counts']['analysed']} analysed")
    if not args.no_warm:
        _, warm = run(args, cache_path, embedder)
        print(f"stocktake warm: {warm:.1f} s")
    sessions = [s["id"] for s in document["sessions"]]
    print("key point | trend | " + " | ".join(sessions))
    for kp in document["key_points"]:
        cells = " | ".join(f"{kp['by_session'][s]['stakeholders']}{'*' if kp['by_session'][s]['converges'] else ''}"
                           for s in sessions)
        print(f"{kp['id']} {kp['label'][:90]!r} | {kp['trend']} | {cells}")
    for heading, facts in document["assessment"].items():
        for fact in facts:
            print(f"{heading}: {fact['text'][:150]}")
    if args.out:
        for path in write_document(document, args.out).values():
            print(path)


if __name__ == "__main__":
    main()
