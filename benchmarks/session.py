"""Synthesize the consultation fixture (examples/gcm-session) and score it against its gold.

    .venv/bin/python benchmarks/session.py                 # the whole session
    .venv/bin/python benchmarks/session.py --english-only  # without its French and Spanish contributions
    .venv/bin/python benchmarks/session.py --json out.json # the figures as JSON too

Prints the ArgKP generation figures on points (kp_recall, kp_precision, ARI) and issue 32's three
counts (labels that are no claim, quotes the gold places elsewhere, other-language points lost), then
the areas of convergence and divergence found. The rules of each figure: ``rapporteur.fidelity.session``.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "examples" / "gcm-session"


def run(english_only: bool = False, cache: Path | None = None, fixture: Path = FIXTURE) -> tuple[dict, dict]:
    """(figures, synthesis document) of the fixture."""
    from rapporteur.embed import EmbeddingCache
    from rapporteur.fidelity.session import load_gold, score
    from rapporteur.ingest import read_path
    from rapporteur.synthesis import SynthesisOptions, segment, synthesize

    gold = load_gold(fixture / "gold.yaml")
    other = _declared_other(fixture) if english_only else set()

    def corpus():
        read = read_path(fixture / "contributions", fixture / "meta.csv")
        read.contributions = [c for c in read.contributions if c.id not in other]
        return read

    options = SynthesisOptions(title="GCM thematic session: international cooperation and governance",
                               focus=gold.session)
    document = synthesize(corpus(), options, cache=EmbeddingCache(cache) if cache else None).to_dict()
    scored = corpus()
    points, _ = segment(scored, languages=options.languages)
    if english_only:
        gold = gold.only({c.id for c in scored.contributions})
    return score(gold, document, scored, points), document


def _declared_other(fixture: Path) -> set[str]:
    """The files the fixture's meta.csv declares in another language than English."""
    import csv

    with open(fixture / "meta.csv", encoding="utf-8") as handle:
        return {row["file"] for row in csv.DictReader(handle) if row["language"] != "en"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--english-only", action="store_true", help="leave out the contributions in French and Spanish")
    parser.add_argument("--cache", type=Path, default=None, help="embedding cache (default: none, every reading computed)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures and the synthesis here")
    args = parser.parse_args()
    began = time.perf_counter()
    figures, document = run(args.english_only, args.cache)
    took = time.perf_counter() - began
    print(f"examples/gcm-session{' (English only)' if args.english_only else ''}: {took:.1f} s")
    print(f"kp_recall {figures['kp_recall']:.3f}  kp_precision {figures['kp_precision']:.3f}  ARI {figures['ari']:.3f}  "
          f"key points {figures['key_points']} (gold {figures['gold_key_points']})")
    print(f"convergence labels that are no claim or a fragment: {len(figures['bad_labels'])} of {figures['convergence']} (goal 0)")
    for label, why in figures["bad_labels"]:
        print(f"   - {why}: {label}")
    print(f"quotes the gold places elsewhere: {figures['misplaced']:.3f} (goal <= 0.10)")
    print(f"other-language points placed by the gold, in no key point: {len(figures['languages_lost'])} of "
          f"{len(figures['languages_placed'])} (goal 0) {figures['languages_lost']}")
    print(f"unaddressed: {figures['unaddressed']} (gold: {figures['gold_unaddressed']})")
    labels = {kp["id"]: kp for kp in document["key_points"]}
    print("\nAreas of convergence:")
    for item in document["convergence"]:
        kp = labels[item["key_point"]]
        print(f"  {item['number']}. {item['label']}  [{kp['n_stakeholders']} stakeholders; gold "
              f"{figures['best_gold'][kp['id']]} F1 {figures['precision_by_key_point'][kp['id']]:.2f}]")
    print("Areas of divergence:")
    for item in document["divergence"]:
        sides = " | ".join(f"{s['position']}: {', '.join(s['stakeholders'][:4])}" for s in item.get("sides", []))
        print(f"  {item['number']}. ({item['kind']}) {item['label']}  {sides}")
    print("Other key points:")
    converging = {item["key_point"] for item in document["convergence"]}
    for kp in document["key_points"]:
        if kp["id"] not in converging:
            print(f"  {kp['id']} {kp['label']}  [{kp['n_stakeholders']}; gold {figures['best_gold'][kp['id']]} "
                  f"F1 {figures['precision_by_key_point'][kp['id']]:.2f}]")
    print("Gold key points, best F1:", " ".join(f"{k} {v:.2f}" for k, v in figures["recall_by_gold"].items()))
    if args.json:
        args.json.write_text(json.dumps({"figures": figures, "synthesis": document}, indent=1, default=str),
                             encoding="utf-8")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
