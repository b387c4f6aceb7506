"""Key-point membership confirmed by the matcher: a point belongs to a key point it makes.

Clustering (``keypoints``) proposes groups of similar sentences and a verbatim label for each; two
sentences can be close in embedding space yet claim different things, so the matcher decides:

1. Each analysed point is read against its ``shortlist`` nearest proposed key points (cosine of
   its vector to their centroids) and always against the one it was clustered into.
2. The matcher gives the probability that the point makes each label. It was trained on pairs of
   the same side of a debate, so it reads whether a point is on the *matter* of a key point, not
   on which side: "Migration is not a human right" is on the matter of "The human rights of all
   migrants must be protected". The point goes to the key point whose matter it most probably
   is, when that probability reaches ``threshold``; otherwise it is unclustered. A label's own
   point always stays in its key point.
3. The stance model (when given) can then read the side: a point on the matter that it reads as
   arguing against the label with probability "for" below ``against_below`` is not a member but a
   point *against* that key point, which the divergence rules use. This is off by default
   (``against_below = 0``): no lexical cue backs such a reading, and on the bundled 2017 demo the
   one reading below 0.05 was wrong (a Holy See sentence urging States to open safe pathways, read
   as against the compact). Rejections found by cues are checked by the stance model instead
   (``analysis.convergence``).
4. A key point left with fewer than ``min_points`` members is dissolved (its points unclustered,
   its points against it too).

Prevalence (stakeholders, points, regions, types) is then counted over the confirmed members, so
every stakeholder counted for a key point made it, by the matcher's reading. The probability of
each membership is kept and shown next to the quote.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from rapporteur.model import Point

# (key point labels, statements) -> probability that statements[i] makes labels[i]
PairScore = Callable[[Sequence[str], Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class MembershipRules:
    shortlist: int = 3
    threshold: float = 0.5
    against_below: float = 0.0  # off: see rule 3


@dataclass
class Membership:
    groups: list[list[int]]  # point indices per key point (label index first is not implied)
    labels: list[int]  # point index of each group's label
    probability: dict[int, float]  # point index -> probability it makes its key point's label
    pairs_scored: int
    # per group, point index -> probability "for" of points on its matter read as against it
    against: list[dict[int, float]] = field(default_factory=list)


def confirm_membership(
    points: Sequence[Point],
    vectors: np.ndarray,
    groups: list[list[int]],
    labels: list[int],
    score: PairScore,
    rules: MembershipRules = MembershipRules(),
    min_points: int = 2,
    side: PairScore | None = None,
) -> Membership:
    """Regroup points by what the matcher says they make (see the module rules)."""
    if not groups:
        return Membership([], [], {}, 0)
    centroids = np.vstack([_unit(vectors[g].mean(axis=0)) for g in groups])
    home = {i: g for g, members in enumerate(groups) for i in members}
    label_points = {labels[g]: g for g in range(len(groups))}
    pairs: list[tuple[int, int]] = []
    candidates = [i for i in range(len(points)) if i not in label_points]
    if candidates:
        k = min(rules.shortlist, len(groups))
        similarity = vectors[candidates] @ centroids.T
        nearest = np.argsort(-similarity, axis=1, kind="stable")[:, :k]
        for row, i in enumerate(candidates):
            chosen = [int(g) for g in nearest[row]]
            if i in home and home[i] not in chosen:
                chosen.append(home[i])
            pairs += [(i, g) for g in chosen]
    probabilities = score([points[labels[g]].text for _, g in pairs], [points[i].text for i, _ in pairs])
    best: dict[int, tuple[float, int]] = {}
    for (i, g), p in zip(pairs, probabilities):
        if p >= rules.threshold and (i not in best or p > best[i][0]):
            best[i] = (float(p), g)
    on_matter = sorted(best.items())
    read_for = np.ones(len(on_matter))
    if side is not None and on_matter and rules.against_below > 0:
        read_for = side([points[labels[g]].text for _, (_, g) in on_matter], [points[i].text for i, _ in on_matter])
    members: list[list[int]] = [[labels[g]] for g in range(len(groups))]
    against: list[dict[int, float]] = [{} for _ in groups]
    probability = {labels[g]: 1.0 for g in range(len(groups))}
    for (i, (p, g)), p_for in zip(on_matter, read_for):
        if p_for < rules.against_below:
            against[g][i] = round(float(p_for), 4)
        else:
            members[g].append(i)
            probability[i] = round(p, 4)
    kept = [g for g in range(len(groups)) if len(members[g]) >= min_points]
    groups_out = [sorted(members[g]) for g in kept]
    kept_points = {i for g in groups_out for i in g}
    return Membership(
        groups=groups_out,
        labels=[labels[g] for g in kept],
        probability={i: p for i, p in probability.items() if i in kept_points},
        pairs_scored=len(pairs),
        against=[against[g] for g in kept],
    )


def _unit(v: np.ndarray) -> np.ndarray:
    return v / (np.linalg.norm(v) + 1e-12)
