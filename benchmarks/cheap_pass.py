"""The cheap pass of ``--about`` against reading every point, per subject, on General Debate years.

    .venv/bin/python benchmarks/cheap_pass.py --year 2018          # held out: the shipped table's test year
    .venv/bin/python benchmarks/cheap_pass.py --year 2016          # the year its margin was chosen on

For each subject: the points the relevance rule keeps when MiniLM reads every point, those it keeps
with the cheap pass, the share of the first kept by the second (recall; by construction the cheap
pass keeps no point the full rule rejects, which is checked), and the share of the points MiniLM
read. MiniLM's vectors are cached (``--cache``), so only the first subject pays for the full read.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "data" / "ungdc" / "UNGDC_1946-2024.tar.xz"
SUBJECTS = ["migration", "climate change", "terrorism", "nuclear weapons", "human rights", "refugees",
            "sustainable development", "Palestine", "women and gender equality", "peacekeeping operations",
            "poverty", "the Security Council reform", "oceans and fisheries", "Syria", "education", "drugs"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2018)
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    parser.add_argument("--cache", type=Path, default=None, help="embedding cache (default: the user's)")
    parser.add_argument("--subjects", nargs="*", default=SUBJECTS)
    args = parser.parse_args()

    from rapporteur.embed import EmbeddingCache, MiniLMEmbedder
    from rapporteur.ingest import read_path
    from rapporteur.synthesis import SynthesisOptions, embed, keep_subject
    from rapporteur.text.segment import segment_all

    minilm, cache = MiniLMEmbedder(), EmbeddingCache(args.cache)
    all_points = segment_all(read_path(args.archive, year=args.year).contributions)
    print(f"UNGDC {args.year}: {sum(p.analysed for p in all_points):,} analysable points; "
          f"margin {SynthesisOptions().cheap_margin}")
    print(f"{'subject':30s} {'full':>6s} {'cheap':>6s} {'recall':>7s} {'read':>6s} {'cheap s':>8s}")
    recalls = []
    for about in args.subjects:
        kept = {}
        for cheap in (False, True):
            started = time.perf_counter()
            options = SynthesisOptions(about=about, cheap_pass=cheap)
            points, vectors, read = embed(all_points, minilm, cache, options=options)
            kept_points, _, n_read = keep_subject(points, vectors, about, minilm, cache, read)
            kept[cheap] = ({p.id for p in kept_points}, n_read or len(points), time.perf_counter() - started, len(points))
        full, cheap = kept[False][0], kept[True][0]
        assert cheap <= full, f"{about}: the cheap pass kept {len(cheap - full)} points the full rule rejects"
        recall = len(cheap) / max(len(full), 1)
        recalls.append(recall)
        print(f"{about[:30]:30s} {len(full):6d} {len(cheap):6d} {recall:7.3f} {kept[True][1] / kept[True][3]:6.3f} "
              f"{kept[True][2]:8.1f}", flush=True)
    print(f"cheap_pass: year {args.year}, {len(recalls)} subjects, recall min {min(recalls):.3f} "
          f"median {sorted(recalls)[len(recalls) // 2]:.3f}")


if __name__ == "__main__":
    main()
