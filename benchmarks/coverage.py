"""The coverage decision measured on ArgKP-2021 dev: the experts' key points as a draft, the arguments as
contributions.

    .venv/bin/python benchmarks/coverage.py [--split dev] [--cache FILE] [--json OUT] [--keep DIR]
        [--per-sentence all|best]

Per topic, the arguments (pro and con pooled, stance withheld) go through the synthesis as a
statements CSV, one stakeholder per argument (``fidelity.generation.synthesis_generator``); the
topic's expert key points, numbered, are the draft (one paragraph each); ``rapporteur coverage``'s
engine (``analysis.coverage.cover``) decides which of our key points each expert key point reflects.

The truth, from IBM's labels: our key point *k* is reflected by expert key point *e* when most of the
arguments assigned to *k* (``fidelity.generation.assign_arguments``) that have a label for *e* are
labelled 1 for it (a label exists only for an expert key point of the argument's own stance, so a
match is also a match of sides). Printed per topic and overall:

- pairs: precision and recall of the (key point, draft paragraph) "reflects" decisions;
- key points: precision and recall of "reflected by the draft" (some paragraph reflects it), and the
  share of key points the truth says are reflected;
- the time the coverage reading took (the synthesis not included).

When every key point of a topic is truly reflected by some expert key point (the experts' key points
cover most arguments), "key points" precision is 1 by construction and only its recall says something;
the pairs are the measure. The pairs of generic key points (``analysis.coverage``: read in many
paragraphs, so reflected by the draft as a whole and by no paragraph in particular) are not among the
predicted pairs; their precision is printed beside, and ``--generic-share 1`` turns the rule off.
``--keep DIR`` keeps each topic's synthesis (they are seeded, so a rerun
reads the same ones); ``--per-sentence`` picks ``CoverageRules.per_sentence`` and ``--evidence``
``CoverageRules.evidence``.

The matcher and the stance model were trained on ArgKP train; dev is held out from them, and no
threshold here was tuned on dev (the synthesis's own, ``KeyPointSettings``: 0.5 and 0.5).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path


def truth_pairs(data, assignment: dict[str, str | None], experts: dict[str, str]) -> set[tuple[str, str]]:
    """(our key point id, paragraph id) pairs the labels call reflected; ``experts``: paragraph id -> expert kp id."""
    members: dict[str, list[str]] = {}
    for argument, kp in assignment.items():
        if kp is not None:
            members.setdefault(kp, []).append(argument)
    out = set()
    for kp, arguments in members.items():
        for paragraph, expert in experts.items():
            labels = [data.labels[(a, expert)] for a in arguments if (a, expert) in data.labels]
            if labels and sum(labels) > len(labels) / 2:
                out.add((kp, paragraph))
    return out


def _pr(predicted: set, truth: set) -> tuple[float | None, float | None]:
    hit = len(predicted & truth)
    return (round(hit / len(predicted), 3) if predicted else None, round(hit / len(truth), 3) if truth else None)


def _generated(generate, arguments, topic: str, keep: Path | None):
    """The topic's synthesis (run now, or read from ``keep`` where an earlier run left it)."""
    from rapporteur.fidelity.generation import Generated, assign_arguments

    path = keep / (re.sub(r"\W+", "-", topic).strip("-").lower() + ".json") if keep else None
    if path is not None and path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        return Generated({kp["id"]: kp["label"] for kp in data["key_points"]}, assign_arguments(data, [a.id for a in arguments]), data)
    print(f"  {topic}: synthesising {len(arguments)} arguments", flush=True)
    generated = generate(arguments, topic)
    if path is not None:
        keep.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(generated.synthesis), encoding="utf-8")
    return generated


def main() -> int:
    from rapporteur.analysis.coverage import EVIDENCE, CoverageRules, cover

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--cache", type=Path, default=None, help="embedding cache file")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--keep", type=Path, default=None,
                        help="folder to keep each topic's synthesis in, and read it from on the next run")
    parser.add_argument("--per-sentence", choices=("all", "best"), default="all",
                        help="CoverageRules.per_sentence: every key point a sentence reflects, or its best")
    parser.add_argument("--evidence", choices=EVIDENCE, default=None,
                        help="CoverageRules.evidence: the label reading alone, or also the key point's statements "
                             "(default: the rules' default)")
    parser.add_argument("--generic-share", type=float, default=None,
                        help="CoverageRules.generic_share (1 turns the generic rule off; default: the rules' default)")
    parser.add_argument("--generic-min", type=int, default=None, help="CoverageRules.generic_min")
    args = parser.parse_args()

    from rapporteur.analysis.readings import LearnedReadings
    from rapporteur.embed import EmbeddingCache, MiniLMEmbedder
    from rapporteur.fidelity.data import load_split
    from rapporteur.fidelity.generation import pooled_groups, synthesis_generator
    from rapporteur.fidelity.train import load_scorer
    from rapporteur.ingest.draft import split_draft

    data = load_split(args.split)
    embedder = MiniLMEmbedder()
    cache = EmbeddingCache(args.cache) if args.cache else None
    matcher, stance = load_scorer("matcher", None), load_scorer("stance", None)
    readings = LearnedReadings(matcher, stance, cache)
    generate = synthesis_generator(None, embedder, cache, (matcher, stance))
    given = {"evidence": args.evidence, "generic_share": args.generic_share, "generic_min": args.generic_min}
    rules = CoverageRules(per_sentence=args.per_sentence, **{k: v for k, v in given.items() if v is not None})
    rows, all_pred, all_truth, kp_pred, kp_truth, seconds = [], set(), set(), set(), set(), 0.0
    generic_pred = set()
    for topic, arguments in pooled_groups(data).items():
        generated = _generated(generate, arguments, topic, args.keep)
        experts = [kp for kp in data.key_points if kp.topic == topic]
        draft = split_draft("\n\n".join(f"{i}. {kp.text}" for i, kp in enumerate(experts, 1)), f"experts: {topic}")
        ids = {p.id: kp.id for p, kp in zip(draft.paragraphs, experts)}
        started = time.perf_counter()
        result = cover(draft, generated.synthesis, readings, embedder, cache, rules)
        seconds += time.perf_counter() - started
        predicted = {(topic, k["id"], p) for k in result["key_points"] for p in k["paragraphs"]}
        truth = {(topic, k, p) for k, p in truth_pairs(data, generated.assignment, ids)}
        reflected = {(topic, k["id"]) for k in result["key_points"] if k["reflected"]}
        broad = {(topic, k["id"], p) for k in result["key_points"] for p in k["broadly"]}
        generic_pred |= broad
        truly = {(topic, k) for _, k, _ in truth}
        all_pred |= predicted
        all_truth |= truth
        kp_pred |= reflected
        kp_truth |= truly
        rows.append({"topic": topic, "key_points": len(result["key_points"]), "draft_paragraphs": len(experts),
                     "pairs": dict(zip(("precision", "recall"), _pr(predicted, truth))),
                     "key_points_reflected": dict(zip(("precision", "recall"), _pr(reflected, truly))),
                     "truly_reflected": len(truly), "predicted_reflected": len(reflected),
                     "unsupported": len(result["unsupported"]), "generic": len(result["generic"]),
                     "generic_pairs": len(broad), "generic_pairs_true": len(broad & truth)})
    print(f"\nCoverage on ArgKP-2021 {args.split}: expert key points as the draft, arguments as contributions "
          f"(per sentence: {rules.per_sentence}, evidence: {rules.evidence})")
    print(f"{'topic':<52}{'kps':>5}{'pair P':>8}{'pair R':>8}{'kp P':>7}{'kp R':>7}{'true':>6}{'unsup':>7}")
    for r in rows:
        print(f"{r['topic'][:51]:<52}{r['key_points']:>5}{str(r['pairs']['precision']):>8}{str(r['pairs']['recall']):>8}"
              f"{str(r['key_points_reflected']['precision']):>7}{str(r['key_points_reflected']['recall']):>7}"
              f"{r['truly_reflected']:>6}{r['unsupported']:>7}")
    overall = {"pairs": dict(zip(("precision", "recall"), _pr(all_pred, all_truth))),
               "key_points_reflected": dict(zip(("precision", "recall"), _pr(kp_pred, kp_truth))),
               "pairs_predicted": len(all_pred), "pairs_true": len(all_truth),
               "key_points": sum(r["key_points"] for r in rows), "truly_reflected": len(kp_truth),
               "generic_pairs": len(generic_pred), "generic_pairs_true": len(generic_pred & all_truth),
               "reading_seconds": round(seconds, 1)}
    print(f"{'overall':<52}{overall['key_points']:>5}{str(overall['pairs']['precision']):>8}"
          f"{str(overall['pairs']['recall']):>8}{str(overall['key_points_reflected']['precision']):>7}"
          f"{str(overall['key_points_reflected']['recall']):>7}{overall['truly_reflected']:>6}")
    print(f"generic key points: {sum(r['generic'] for r in rows)}, their {len(generic_pred)} pairs (not predicted) "
          f"{len(generic_pred & all_truth)} true (precision {_pr(generic_pred, all_truth)[0]}; "
          f"generic_share {rules.generic_share:.3f}, generic_min {rules.generic_min})")
    print(f"pairs: {len(all_pred)} predicted, {len(all_truth)} true; coverage reading {seconds:.0f} s on 2 cores "
          f"(the syntheses not included)")
    if args.json:
        args.json.write_text(json.dumps({"topics": rows, "overall": overall}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
