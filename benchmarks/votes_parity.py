"""Parity of the vote engine with Pol.is on every openData conversation (../shared/data/polis-opendata).

    python benchmarks/votes_parity.py

For each conversation: participants clustered by Pol.is and by us, the number of groups, and the
adjusted Rand index of our opinion groups against Pol.is's exported ``group-id`` (over the
participants both cluster), for the default (``restarts=10``: seeded restarts taken only where
Pol.is's k-means start is clearly poor, see ``opinion_groups``) and with Pol.is's start alone
(``restarts=0``).
Then the group-informed consensus computed with Pol.is's own group ids against the exported
``group-informed-consensus`` column, where the export has one (bg2050-volunteers).

Data was gathered using the Polis software (compdemocracy.org/polis) and is sub-licensed under
CC BY 4.0 with Attribution to The Computational Democracy Project.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
OPENDATA = ROOT.parent / "shared" / "data" / "polis-opendata"


def main() -> int:
    from rapporteur.votes import VoteInputError, analyse, group_informed_consensus, read_conversation, tally

    print(f"{'conversation':46s} {'votes':>8s} {'polis':>6s} {'ours':>6s} {'k':>5s} {'ARI':>6s} {'ARI r0':>8s} {'k r0':>6s} {'s':>5s}")
    aris = []
    gic_errors = {}
    for folder in sorted(p for p in OPENDATA.iterdir() if p.is_dir()):
        try:
            conv = read_conversation(folder)
        except VoteInputError as err:
            print(f"{folder.name:46s} skipped: {err}")
            continue
        t0 = time.perf_counter()
        result = analyse(conv, seed=0)
        seconds = time.perf_counter() - t0
        robust = analyse(conv, seed=0, restarts=0)
        ref = conv.polis.group_ids
        cells = []
        for res in (result, robust):
            ours = res.opinion.group
            both = (ref >= 0) & (ours >= 0)
            cells.append(adjusted_rand_score(ref[both], ours[both]))
        k_polis = len(np.unique(ref[ref >= 0]))
        aris.append(cells[0])
        print(
            f"{folder.name:46s} {conv.n_votes:8d} {int((ref >= 0).sum()):6d} {int((result.opinion.group >= 0).sum()):6d} "
            f"{k_polis:>2d}/{result.n_groups:<2d} {cells[0]:6.3f} {cells[1]:8.3f} {robust.n_groups:6d} {seconds:5.2f}"
        )
        if conv.polis.group_informed_consensus:
            labels = ref
            counts = tally(conv, labels, int(labels.max()) + 1)
            gic = group_informed_consensus(counts.agree, counts.seen)
            exported = conv.polis.group_informed_consensus
            gic_errors[folder.name] = max(abs(gic[j] - exported[s]) for j, s in enumerate(conv.statement_ids) if s in exported)
    print(f"\nmedian ARI {np.median(aris):.3f} over {len(aris)} conversations; "
          f"≥ 0.9 on {sum(a >= 0.9 for a in aris)} of them")
    for name, err in gic_errors.items():
        print(f"group-informed consensus with Pol.is's group ids vs export, {name}: max |error| = {err:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
