"""Synthesize one whole year of the UN General Debate Corpus and print wall time, memory, speed.

    .venv/bin/python benchmarks/ungdc_year.py --year 2018 --about migration

Runs with a fresh (cold) embedding cache unless --cache is given, so the figure includes
embedding every sentence of the year; a second run with the same --cache shows the warm figure.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "data" / "ungdc" / "UNGDC_1946-2024.tar.xz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2018)
    parser.add_argument("--about", default="migration")
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    parser.add_argument("--cache", type=Path, default=None, help="embedding cache (default: a fresh one)")
    parser.add_argument("--out", type=Path, default=None, help="also write the report here")
    parser.add_argument("--workers", type=int, default=None, help="model stages on a local Dask cluster of N workers")
    args = parser.parse_args()

    import torch

    from rapporteur.cluster import Workers
    from rapporteur.embed import EmbeddingCache, MiniLMEmbedder
    from rapporteur.ingest import read_path
    from rapporteur.report import write_reports
    from rapporteur.synthesis import SynthesisOptions, synthesize

    from _stages import StageClock

    clock = StageClock()

    cache_path = args.cache or Path(tempfile.mkdtemp()) / "embeddings.sqlite"
    started = time.perf_counter()
    corpus = read_path(args.archive, year=args.year)
    read_s = time.perf_counter() - started
    synthesis_started = time.perf_counter()
    with Workers(n=args.workers) if args.workers else contextlib.nullcontext():
        result = synthesize(
            corpus,
            SynthesisOptions(title=f"UN General Debate {args.year} on {args.about}", about=args.about),
            embedder=MiniLMEmbedder(),
            cache=EmbeddingCache(cache_path),
            progress=clock,
        )
    synthesis_s = time.perf_counter() - synthesis_started
    clock.stop()
    render_s = 0.0
    if args.out:
        t = time.perf_counter()
        write_reports(result, args.out)
        render_s = time.perf_counter() - t
    wall = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    c = result.counts
    embedded = c["points"] - c["procedural"] - c["fragments"]
    where = f"{args.workers} local Dask worker(s)" if args.workers else f"one process, torch threads {torch.get_num_threads()}"
    print(f"UNGDC {args.year}, --about {args.about!r}, {where}, cores {os.cpu_count()}")
    print(f"speeches            {c['contributions']}")
    print(f"points (all)        {c['points']}  embedded {embedded}  on subject {c['analysed']}")
    print(f"stakeholders        {c['speakers_analysed']} on subject; key points {c['key_points']}; "
          f"convergence {len(result.convergence)}; divergence {len(result.divergence)}")
    print(f"read archive        {read_s:8.1f} s")
    print("\n".join(clock.lines()))
    print(f"synthesis           {synthesis_s:8.1f} s")
    if args.out:
        print(f"render reports      {render_s:8.1f} s  -> {args.out}")
    print(f"wall time           {wall:8.1f} s")
    print(f"peak memory (RSS)   {peak_mb:8.0f} MB")
    if args.workers:
        worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"largest worker RSS  {worker_mb:8.0f} MB")
    print(f"points per second   {c['points'] / wall:8.1f} (all points, end to end)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
