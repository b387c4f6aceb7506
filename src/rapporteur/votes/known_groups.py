"""The statement statistics across *known* groups: UN region, stakeholder type, any attribute.

What Pol.is lacks: convergence across groups defined before the vote, not found by clustering.
For each group ``g`` (participants with that attribute value; participants without one are left
out) and statement, ``A_g, D_g, P_g, S_g`` and the pseudocount rates of ``statement_stats``:
``pa_g = (A_g+1)/(S_g+2)``, ``pd_g``, ``pp_g = (P_g+1)/(S_g+2)``, ``pat_g``, ``pdt_g``.

* **Cross-group consensus** ("every group agrees"): ``pa_g > ½`` and ``pat_g > 1.2816`` in *every*
  group (Pol.is's majority test applied inside each group); a group that did not vote on the
  statement blocks the claim (its ``pat`` is 1). Same for disagree. Ranked by the group-informed
  consensus over the known groups ``Π_g pa_g`` (``Π_g pd_g``).
* **Between-group divergence**: the largest difference ``max_g pa_g − min_g pa_g`` (over groups
  with votes on the statement), with a chi-square test of homogeneity of the groups ×
  {agree, disagree, pass} table: ``χ² = Σ (O − E)²/E``, ``E = row·column/N``, ``dof = (G'−1)(C'−1)``
  over the non-empty rows and columns; ``p = P(χ²_dof ≥ χ²)``, Benjamini–Hochberg ``q`` across
  statements; divergent when ``q < 0.05`` **and** the difference is at least 0.10 (with a million
  participants every difference is significant; the effect size keeps the list meaningful). The
  test is approximate when expected counts are below 5.
* **Sensemaker categories** (Jigsaw's sensemaking-tools, ``GroupedSummaryStats``), among
  statements with at least 20 votes from grouped participants:

  - *common ground*: ``min_g pa_g ≥ 0.6`` or ``min_g pd_g ≥ 0.6``; score ``max(Π pa_g, Π pd_g)``;
  - *differences of opinion*: ``min_g pa_g < 0.6`` and ``max_g |pa_g − pa_{¬g}| > 0.3`` where
    ``pa_{¬g}`` pools every other group (Sensemaker's published filter reads ``< 0.3``, which
    contradicts its own documentation and message; we use ``> 0.3``); score: that maximum;
  - *uncertain*: overall pass rate ``(P+1)/(S+2) > max(0.2, q₇₅)``, ``q₇₅`` the 75th percentile
    of pass rates of the statements with ≥ 20 votes (Sensemaker's midpoint rule); score: the rate.

Moderated-out statements get statistics but no list or category.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.stats import chi2 as chi2_dist

from rapporteur.votes.conversation import Conversation
from rapporteur.votes.statement_stats import Z90, Tally, p_hat, prop_test, tally

MIN_VOTES = 20
COMMON_GROUND_P = 0.6
DIFFERENCE_P = 0.3
UNCERTAIN_MIN = 0.2
ALPHA = 0.05
MIN_DIFFERENCE = 0.10
CATEGORIES = ("common_ground", "differences_of_opinion", "uncertain")


@dataclass
class KnownGroups:
    attribute: str
    names: list[str]
    sizes: np.ndarray  # participants per group
    voters: np.ndarray  # of which with at least one vote
    unassigned: int  # participants without a value
    labels: np.ndarray  # group index per participant, -1 without a value
    tally: Tally
    p_agree: np.ndarray  # (G, m)
    p_disagree: np.ndarray
    p_pass: np.ndarray
    agree_test: np.ndarray
    disagree_test: np.ndarray
    gic: np.ndarray  # (m,)
    gic_disagree: np.ndarray
    consensus: np.ndarray  # object (m,): "agree" / "disagree" / None
    max_difference: np.ndarray  # (m,), NaN when fewer than two groups voted
    highest: np.ndarray  # group index with the largest pa (−1 when undefined)
    lowest: np.ndarray
    chi2: np.ndarray
    dof: np.ndarray
    p_value: np.ndarray
    q_value: np.ndarray
    categories: dict[str, list[int]] = field(default_factory=dict)  # statement indices, best first
    scores: dict[str, np.ndarray] = field(default_factory=dict)
    uncertain_threshold: float = UNCERTAIN_MIN
    note: str | None = None

    @property
    def divergent(self) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return (self.q_value < ALPHA) & (self.max_difference >= MIN_DIFFERENCE)


def labels_for(conv: Conversation, attribute: str) -> tuple[np.ndarray, list[str]]:
    values = conv.attribute(attribute)
    names = sorted({v for v in values if v is not None}, key=str)
    index = {name: i for i, name in enumerate(names)}
    labels = np.fromiter((index.get(v, -1) if v is not None else -1 for v in values), dtype=np.int64, count=len(values))
    return labels, [str(n) for n in names]


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """BH-adjusted q-values; NaN stays NaN. ``q_(i) = min_{k ≥ i} p_(k)·n/k``."""
    q = np.full(len(p), np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    if len(ok) == 0:
        return q
    order = ok[np.argsort(p[ok], kind="stable")]
    n = len(order)
    scaled = p[order] * n / np.arange(1, n + 1)
    q[order] = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    return q


def chi_square(t: Tally) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Homogeneity test of the groups × {agree, disagree, pass} table of every statement."""
    O = np.stack([t.agree, t.disagree, t.passes], axis=-1).astype(np.float64)  # (G, m, 3)
    rows = O.sum(-1)  # (G, m)
    cols = O.sum(0)  # (m, 3)
    n = cols.sum(-1)  # (m,)
    with np.errstate(invalid="ignore", divide="ignore"):
        E = rows[:, :, None] * cols[None, :, :] / n[None, :, None]
        terms = np.where(E > 0, (O - E) ** 2 / np.where(E > 0, E, 1), 0.0)
    stat = terms.sum(axis=(0, 2))
    dof = ((rows > 0).sum(0) - 1) * ((cols > 0).sum(-1) - 1)
    p = np.where(dof > 0, chi2_dist.sf(stat, np.maximum(dof, 1)), np.nan)
    stat = np.where(dof > 0, stat, np.nan)
    return stat, dof, p


def percentile75(values: np.ndarray) -> float:
    """Sensemaker's ``get75thPercentile``: value at ``(n−1)·0.75``, or the midpoint of its neighbours."""
    if len(values) == 0:
        return float("nan")
    v = np.sort(values)
    idx = (len(v) - 1) * 0.75
    lo = int(np.floor(idx))
    return float(v[lo]) if lo == idx else float((v[lo] + v[lo + 1]) / 2)


def known_groups(conv: Conversation, attribute: str, min_votes: int = MIN_VOTES) -> KnownGroups:
    labels, names = labels_for(conv, attribute)
    G = len(names)
    m = conv.n_statements
    t = tally(conv, labels, max(G, 1)) if G else Tally(*(np.zeros((1, m), dtype=np.int64),) * 3)
    sizes = np.bincount(labels[labels >= 0], minlength=G)
    has_votes = conv.votes_per_participant > 0
    voters = np.bincount(labels[(labels >= 0) & has_votes], minlength=G)
    seen = t.seen
    pa, pd, pp = p_hat(t.agree, seen), p_hat(t.disagree, seen), p_hat(t.passes, seen)
    pat, pdt = prop_test(t.agree, seen), prop_test(t.disagree, seen)
    excluded = conv.moderated_out
    note = None
    nan = np.full(m, np.nan)
    result = dict(
        attribute=attribute, names=names, sizes=sizes, voters=voters, unassigned=int((labels < 0).sum()), labels=labels,
        tally=t, p_agree=pa, p_disagree=pd, p_pass=pp, agree_test=pat, disagree_test=pdt,
    )
    if G < 2:
        note = f"group-by {attribute}: {G} group{'s' if G != 1 else ''} with a value; comparisons need at least 2"
        return KnownGroups(
            **result, gic=nan, gic_disagree=nan, consensus=np.full(m, None, dtype=object), max_difference=nan,
            highest=np.full(m, -1), lowest=np.full(m, -1), chi2=nan, dof=np.zeros(m, dtype=np.int64), p_value=nan,
            q_value=nan, note=note,
        )
    gic, gic_d = np.prod(pa, axis=0), np.prod(pd, axis=0)
    consensus = np.full(m, None, dtype=object)
    consensus[np.all((pa > 0.5) & (pat > Z90), axis=0)] = "agree"
    consensus[np.all((pd > 0.5) & (pdt > Z90), axis=0)] = "disagree"
    voted = seen > 0
    hi_pa = np.where(voted, pa, -np.inf)
    lo_pa = np.where(voted, pa, np.inf)
    highest, lowest = hi_pa.argmax(0), lo_pa.argmin(0)
    two = voted.sum(0) >= 2
    max_diff = np.where(two, hi_pa.max(0) - lo_pa.min(0), np.nan)
    highest = np.where(two, highest, -1)
    lowest = np.where(two, lowest, -1)
    stat, dof, p = chi_square(t)
    p_for_q = np.where(excluded, np.nan, p)
    q = benjamini_hochberg(p_for_q)

    # Sensemaker categories
    total = t.total()
    enough = (total.seen[0] >= min_votes) & ~excluded
    min_pa, min_pd = pa.min(0), pd.min(0)
    rest_a = total.agree[0][None, :] - t.agree
    rest_s = total.seen[0][None, :] - seen
    diff_rest = np.abs(pa - p_hat(rest_a, rest_s)).max(0)
    pass_rate = p_hat(total.passes[0], total.seen[0])
    threshold = max(UNCERTAIN_MIN, percentile75(pass_rate[enough])) if enough.any() else UNCERTAIN_MIN
    scores = {
        "common_ground": np.maximum(gic, gic_d),
        "differences_of_opinion": diff_rest,
        "uncertain": pass_rate,
    }
    masks = {
        "common_ground": enough & ((min_pa >= COMMON_GROUND_P) | (min_pd >= COMMON_GROUND_P)),
        "differences_of_opinion": enough & (min_pa < COMMON_GROUND_P) & (diff_rest > DIFFERENCE_P),
        "uncertain": enough & (pass_rate > threshold),
    }
    categories = {}
    for name, mask in masks.items():
        idx = np.flatnonzero(mask)
        categories[name] = idx[np.argsort(-scores[name][idx], kind="stable")].tolist()
    return KnownGroups(
        **result, gic=gic, gic_disagree=gic_d, consensus=consensus, max_difference=max_diff, highest=highest,
        lowest=lowest, chi2=stat, dof=dof, p_value=p, q_value=q, categories=categories, scores=scores,
        uncertain_threshold=threshold, note=note,
    )
