"""The rapporteur's desk, measured: the edits that take the machine's draft of the consultation fixture
(examples/gcm-session) to its gold synthesis, and how fast the engine answers an edit.

    .venv/bin/python benchmarks/desk.py                        # synthesize the fixture and the demo, then measure
    .venv/bin/python benchmarks/desk.py --session S.json --demo D.json   # drafts already written
    .venv/bin/python benchmarks/desk.py --write-edits examples/gcm-session/edits.yaml

Part 1 prints the edits by kind (``fidelity.correction``: an editor that knows the gold, working as a
rapporteur would), the session benchmark's figures for the draft and for the signed synthesis, and both lists.
Part 2 applies ``examples/demo-edits.yaml`` to the demo's draft (the 2017 excerpt) and the fixture's
edits to its draft, one edit at a time as the desk does (``revision.apply.revise``: copy, apply,
recompute every figure; no model read), and prints each edit's time: p50, p95, max.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import yaml

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def session_draft(path: Path | None):
    from rapporteur.schema import SynthesisDocument, read_document

    if path and path.exists():
        return read_document(path)
    from session import run

    _, document = run()
    if path:
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return SynthesisDocument.model_validate(document)


def demo_draft(path: Path | None):
    from rapporteur.schema import read_document

    if path and path.exists():
        return read_document(path)
    from rapporteur.ingest import read_path
    from rapporteur.synthesis import SynthesisOptions, synthesize

    corpus = read_path(ROOT / "examples" / "ungdc-2017-migration")
    return synthesize(corpus, SynthesisOptions(title="UN General Debate 2017", about="migration")).document()


def gold_truth(fixture: Path):
    from rapporteur.fidelity.session import load_gold, locate
    from rapporteur.ingest import read_path
    from rapporteur.synthesis import segment

    gold = load_gold(fixture / "gold.yaml")
    corpus = read_path(fixture / "contributions", fixture / "meta.csv")
    points, _ = segment(corpus, languages="auto")
    truth = {k: {locate(q, corpus, points) for q in quotes} for k, quotes in gold.key_points.items()}
    return gold, corpus, points, truth


def timed(draft, edits) -> list[float]:
    """Each edit's time, applied one at a time on the document the previous one left (as the desk does)."""
    from rapporteur.revision.apply import revise

    document, times = draft, []
    for edit in edits:
        began = time.perf_counter()
        document = revise(document, [edit.model_copy(update={"anchors": {}})])
        times.append(time.perf_counter() - began)
    return times


def line(name: str, times: list[float]) -> str:
    ms = np.array(times) * 1000
    return (f"{name}: {len(ms)} edits, p50 {np.percentile(ms, 50):.0f} ms, p95 {np.percentile(ms, 95):.0f} ms, "
            f"max {ms.max():.0f} ms")


def listing(document) -> list[str]:
    labels = {kp.id: kp for kp in document.key_points}
    out = [f"  {c.number}. {c.label} [{labels[c.key_point].n_stakeholders} stakeholders; {c.origin}]"
           for c in document.convergence]
    out.append("  divergence:")
    out += [f"  {d.number}. ({d.kind}) {d.label} [{d.origin}]" for d in document.divergence]
    return out


def main() -> None:
    from rapporteur.fidelity.correction import correct
    from rapporteur.fidelity.session import score
    from rapporteur.report.data import as_data
    from rapporteur.edits import dump_edits, read_edits

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--session", type=Path, default=None, help="the fixture's draft synthesis.json (written when missing)")
    parser.add_argument("--demo", type=Path, default=None, help="the demo's draft synthesis.json (make demo's)")
    parser.add_argument("--write-edits", type=Path, default=None, help="write the fixture's edits here (YAML)")
    args = parser.parse_args()

    fixture = ROOT / "examples" / "gcm-session"
    draft = session_draft(args.session)
    gold, corpus, points, truth = gold_truth(fixture)
    divergence = sorted({k.split(".")[0] for k in truth if k.startswith("D")})
    work = correct(draft, truth, gold.claims, gold.convergence, divergence, gold.unaddressed)
    before, after = score(gold, as_data(draft), corpus, points), score(gold, as_data(work.document), corpus, points)
    print(f"examples/gcm-session: {len(work.edits)} edits to the gold synthesis: "
          + ", ".join(f"{kind} {n}" for kind, n in sorted(work.counts().items())))
    for edit, why in work.refused:
        print(f"   refused: {edit} — {why}")
    for name, figures in (("draft", before), ("signed", after)):
        print(f"{name:7s} kp_recall {figures['kp_recall']:.3f}  kp_precision {figures['kp_precision']:.3f}  "
              f"ARI {figures['ari']:.3f}  misplaced {figures['misplaced']:.3f}  convergence {figures['convergence']}  "
              f"no-claim labels {len(figures['bad_labels'])}  other-language lost {len(figures['languages_lost'])}")
    print("The machine's areas of convergence:", *listing(draft), sep="\n")
    print("The signed areas of convergence:", *listing(work.document), sep="\n")
    if args.write_edits:
        header = ("# The edits that take the machine's draft of examples/gcm-session to its gold synthesis, as made by\n"
                  "# benchmarks/desk.py (rapporteur.fidelity.correction). Point ids are the engine's (file#n).\n")
        args.write_edits.write_text(header + yaml.safe_dump(dump_edits(work.edits), allow_unicode=True, sort_keys=False,
                                                            width=120), encoding="utf-8")
    print()
    demo = demo_draft(args.demo)
    demo_edits = read_edits(ROOT / "examples" / "demo-edits.yaml")
    print(f"demo draft: {len(demo.points)} analysed points, {len(demo.key_points)} key points")
    print(line("examples/demo-edits.yaml on the demo", timed(demo, demo_edits)))
    print(line(f"the fixture's edits ({len(draft.points)} points)", timed(draft, work.edits)))


if __name__ == "__main__":
    main()
