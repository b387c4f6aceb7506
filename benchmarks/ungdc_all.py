"""The UN General Debate at corpus scale: ``stocktake --by year`` over a span of years, cold caches.

    .venv/bin/python benchmarks/ungdc_all.py                              # 1946-2024 about migration
    .venv/bin/python benchmarks/ungdc_all.py --years 2018-2018            # one year (the < 30 s goal)
    .venv/bin/python benchmarks/ungdc_all.py --years 2015-2019 --about "climate change"

A fresh embedding cache every run (cold: every point MiniLM reads is embedded). Prints the time,
items and items per second of each stage, then a last line

    ungdc_all: wall S s, peak G GB, points N, analysed M

(``points``: every point of every speech; ``analysed``: the points kept on the subject, which the
learned matcher and stance model read). Goals on 2 cores (issue 14): 1946-2024 < 10 min, peak
< 6 GB; one year < 30 s.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "data" / "ungdc" / "UNGDC_1946-2024.tar.xz"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", default="1946-2024", help="A-B, or one year")
    parser.add_argument("--about", default="migration")
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    parser.add_argument("--out", type=Path, default=None, help="also write the stocktaking report here")
    args = parser.parse_args(argv)

    import torch

    from rapporteur.embed import EmbeddingCache, MiniLMEmbedder
    from rapporteur.ingest import read_path
    from rapporteur.synthesis import SynthesisOptions, stocktake

    from _stages import StageClock

    first, _, last = args.years.partition("-")
    span = (int(first), int(last or first))
    clock = StageClock()
    cache = EmbeddingCache(Path(tempfile.mkdtemp()) / "embeddings.sqlite")
    started = time.perf_counter()
    corpus = read_path(args.archive, years=span)
    read_s = time.perf_counter() - started
    options = SynthesisOptions(title=f"UN General Debate {span[0]}-{span[1]} on {args.about}", about=args.about)
    document = stocktake(corpus, options, by="year", embedder=MiniLMEmbedder(), cache=cache, progress=clock)
    clock.stop()
    if args.out:
        from rapporteur.report import write_document

        write_document(document, args.out)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    counts = document["counts"]
    print(f"UNGDC {span[0]}-{span[1]} about {args.about!r}: {counts['contributions']} speeches, "
          f"{len(document['sessions'])} years, {len(document['key_points'])} key points; "
          f"torch threads {torch.get_num_threads()}, cores {os.cpu_count()}")
    print(f"  {'read archive':<17} {read_s:8.1f} s  {counts['contributions']:9d} items {counts['contributions'] / read_s:10.1f}/s")
    print("\n".join(clock.lines()))
    for limit in document.get("limits", []):
        if "exceed" in limit or "cheap pass" in limit:  # what the run did not read with the learned models
            print(f"  limit: {limit}")
    print(f"ungdc_all: wall {wall:.1f} s, peak {peak:.2f} GB, points {counts['points']}, analysed {counts['analysed']}")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
