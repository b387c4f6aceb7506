"""Per-statement statistics, as Pol.is computes them (``math/src/polismath/math/{repness,stats}.clj``).

For a set of participants (a group ``g``) and a statement: ``A`` agrees, ``D`` disagrees,
``P`` passes, ``S = A + D + P`` votes seen. With Pol.is's pseudocounts (a Beta(1, 1) prior):

* ``pa = (A + 1) / (S + 2)``, ``pd = (D + 1) / (S + 2)`` (and ``pp = (P + 1) / (S + 2)``);
* one-proportion test ``pat = 2·√(S + 1)·((A + 1)/(S + 1) − ½)`` (``pdt`` with ``D``);
* against the *other groups* (sums ``A'``, ``D'``, ``S'``): ``ra = pa / ((A' + 1)/(S' + 2))`` and
  the two-proportion test, with 1 added to each count::

      rat = (p₁ − p₂) / √(p̂(1 − p̂)(1/(S+1) + 1/(S'+1))),
      p₁ = (A+1)/(S+1), p₂ = (A'+1)/(S'+1), p̂ = (A+A'+2)/(S+S'+2)   (0 when p̂ = 1)

  (``rd``, ``rdt`` likewise with ``D``).
* Significance: ``z > 1.2816`` (90 %, one-sided).
* **Representative statements** of a group (``select-rep-comments``): statements with
  (``rat`` and ``pat`` significant) or (``rdt`` and ``pdt`` significant), sorted by
  ``repness · repness_test · p_success · p_test`` (taken on the agree side when ``rat > rdt``, else
  on the disagree side), at most 5, agrees before disagrees, led by the group's "best agree"
  statement; when none passes, the best one by test. Moderated-out statements are never selected.
* **Group-informed consensus** (``group-aware-consensus``): ``GIC = Π_g (A_g + 1)/(S_g + 2)`` over
  the opinion groups (clustered participants only, raw votes); its disagree twin uses ``D_g``.
* **Majority consensus** (``consensus-stats``/``select-consensus-comments``): over every
  participant, a statement is an agree consensus when ``pa > ½`` and ``pat > 1.2816`` (disagree
  likewise); Pol.is lists the top 5 of each by ``pa·pat`` (``pd·pdt``).

Pol.is computes repness on its rating matrix where moderated-out columns are zeroed; we compute
it on the raw votes (identical for every statement that can be selected).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rapporteur.votes.conversation import Conversation

Z90 = 1.2816
PICK = 5


@dataclass
class Tally:
    """Vote counts, shape ``(n_groups, n_statements)``."""

    agree: np.ndarray
    disagree: np.ndarray
    passes: np.ndarray

    @property
    def seen(self) -> np.ndarray:
        return self.agree + self.disagree + self.passes

    def total(self) -> "Tally":
        return Tally(self.agree.sum(0, keepdims=True), self.disagree.sum(0, keepdims=True), self.passes.sum(0, keepdims=True))


def tally(conv: Conversation, labels: np.ndarray, n_groups: int) -> Tally:
    """Count votes per (group, statement) for participants with ``labels ≥ 0``.

    One ``bincount`` over the stored votes with key ``(g·m + j)·3 + (v + 1)``.
    """
    m = conv.n_statements
    labels = np.asarray(labels, dtype=np.int32)
    g = labels[conv.entry_rows]
    keep = g >= 0
    if keep.all():
        key = (g.astype(np.int64) * m + conv.indices) * 3 + (conv.values + 1)
    else:
        key = (g[keep].astype(np.int64) * m + conv.indices[keep]) * 3 + (conv.values[keep] + 1)
    counts = np.bincount(key, minlength=n_groups * m * 3).reshape(n_groups, m, 3)
    return Tally(agree=counts[:, :, 2], disagree=counts[:, :, 0], passes=counts[:, :, 1])


def p_hat(count, seen):
    """``(count + 1) / (seen + 2)``."""
    return (np.asarray(count, dtype=np.float64) + 1.0) / (np.asarray(seen, dtype=np.float64) + 2.0)


def prop_test(succ, n):
    """Pol.is ``prop-test``: ``2·√(n+1)·((succ+1)/(n+1) − ½)``."""
    succ = np.asarray(succ, dtype=np.float64) + 1.0
    n = np.asarray(n, dtype=np.float64) + 1.0
    return 2.0 * np.sqrt(n) * (succ / n - 0.5)


def two_prop_test(succ_in, succ_out, n_in, n_out):
    """Pol.is ``two-prop-test`` (1 added to each count; 0 where the pooled proportion is 1)."""
    s1, s2, n1, n2 = (np.asarray(a, dtype=np.float64) + 1.0 for a in (succ_in, succ_out, n_in, n_out))
    p1, p2 = s1 / n1, s2 / n2
    pooled = (s1 + s2) / (n1 + n2)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return np.where(pooled >= 1.0, 0.0, np.nan_to_num(z))


def group_informed_consensus(agree: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """``Π_g (A_g + 1)/(S_g + 2)`` for arrays of shape ``(n_groups, n_statements)``."""
    return np.prod(p_hat(agree, seen), axis=0)


@dataclass
class Repness:
    """Pol.is's per-group statement statistics (arrays of shape ``(n_groups, n_statements)``)."""

    na: np.ndarray
    nd: np.ndarray
    ns: np.ndarray
    pa: np.ndarray
    pd: np.ndarray
    pat: np.ndarray
    pdt: np.ndarray
    ra: np.ndarray
    rd: np.ndarray
    rat: np.ndarray
    rdt: np.ndarray

    @property
    def repful_agree(self) -> np.ndarray:
        """Pol.is's ``finalize-cmt-stats``: the agree side when ``rat > rdt``."""
        return self.rat > self.rdt


def repness(t: Tally) -> Repness:
    na, nd, ns = t.agree.astype(np.float64), t.disagree.astype(np.float64), t.seen.astype(np.float64)
    ra_rest, rd_rest, rs_rest = na.sum(0) - na, nd.sum(0) - nd, ns.sum(0) - ns
    pa, pd = p_hat(na, ns), p_hat(nd, ns)
    return Repness(
        na=na,
        nd=nd,
        ns=ns,
        pa=pa,
        pd=pd,
        pat=prop_test(na, ns),
        pdt=prop_test(nd, ns),
        ra=pa / p_hat(ra_rest, rs_rest),
        rd=pd / p_hat(rd_rest, rs_rest),
        rat=two_prop_test(na, ra_rest, ns, rs_rest),
        rdt=two_prop_test(nd, rd_rest, ns, rs_rest),
    )


def _finalize(r: dict, j: int) -> dict:
    agree = r["rat"][j] > r["rdt"][j]
    side = "a" if agree else "d"
    return {
        "statement": j,
        "repful_for": "agree" if agree else "disagree",
        "n_success": int(r["n" + side][j]),
        "n_trials": int(r["ns"][j]),
        "p_success": float(r["p" + side][j]),
        "p_test": float(r["p" + side + "t"][j]),
        "repness": float(r["r" + side][j]),
        "repness_test": float(r["r" + side + "t"][j]),
    }


def _metric(s: dict) -> float:
    return s["repness"] * s["repness_test"] * s["p_success"] * s["p_test"]


def select_representative(rep: Repness, excluded: np.ndarray, pick: int = PICK) -> list[list[dict]]:
    """Pol.is ``select-rep-comments`` for every group (statement indices in ``"statement"``)."""
    out = []
    candidates = np.flatnonzero(~np.asarray(excluded))
    for g in range(rep.na.shape[0]):
        r = {name: getattr(rep, name)[g].tolist() for name in ("na", "nd", "ns", "pa", "pd", "pat", "pdt", "ra", "rd", "rat", "rdt")}
        sufficient: list[int] = []
        best: int | None = None
        best_z = None
        best_agree: int | None = None
        for j in candidates.tolist():
            rat, rdt, pat, pdt = r["rat"][j], r["rdt"][j], r["pat"][j], r["pdt"][j]
            if (rat > Z90 and pat > Z90) or (rdt > Z90 and pdt > Z90):
                sufficient.append(j)
            if not sufficient:
                z = rat if rat > rdt else rdt
                if best_z is None or z > best_z:
                    best, best_z = j, z
            if _beats_best_agree(r, j, best_agree):
                best_agree = j
        head = []
        if best_agree is not None:
            head = [{**_finalize(r, best_agree), "n_agree": int(r["na"][best_agree]), "best_agree": True}]
        if not sufficient:
            out.append(head if head else ([_finalize(r, best)] if best is not None else []))
            continue
        chosen = sorted((_finalize(r, j) for j in sufficient if j != best_agree), key=lambda s: -_metric(s))
        chosen = (head + chosen)[:pick]
        out.append([s for s in chosen if s["repful_for"] == "agree"] + [s for s in chosen if s["repful_for"] == "disagree"])
    return out


def _beats_best_agree(r: dict, j: int, best: int | None) -> bool:
    """Pol.is ``beats-best-agr?``."""
    na, nd, ra, rat, pa, pat = r["na"][j], r["nd"][j], r["ra"][j], r["rat"][j], r["pa"][j], r["pat"][j]
    if na == 0 and nd == 0:
        return False
    if best is not None and r["ra"][best] > 1.0:
        return ra * rat * pa * pat > r["ra"][best] * r["rat"][best] * r["pa"][best] * r["pat"][best]
    if best is not None:
        return pa * pat > r["pa"][best] * r["pat"][best]
    return pat > Z90 or (ra > 1.0 and pa > 0.5)


def majority_consensus(everyone: Tally) -> tuple[np.ndarray, dict]:
    """Per statement ``"agree"``/``"disagree"``/``None`` and the raw stats (over all participants)."""
    a, d, s = everyone.agree[0], everyone.disagree[0], everyone.seen[0]
    pa, pd = p_hat(a, s), p_hat(d, s)
    pat, pdt = prop_test(a, s), prop_test(d, s)
    out = np.full(len(a), None, dtype=object)
    out[(pa > 0.5) & (pat > Z90)] = "agree"
    out[(pd > 0.5) & (pdt > Z90)] = "disagree"
    return out, {"na": a, "nd": d, "ns": s, "pa": pa, "pd": pd, "pat": pat, "pdt": pdt}


def select_consensus(stats: dict, excluded: np.ndarray, pick: int = PICK) -> dict[str, list[dict]]:
    """Pol.is ``select-consensus-comments``: top ``pick`` by ``pa·pat`` (``pd·pdt``) among significant ones."""
    result = {}
    for side, key in (("agree", "a"), ("disagree", "d")):
        p, t, n = stats["p" + key], stats["p" + key + "t"], stats["n" + key]
        ok = np.flatnonzero((p > 0.5) & (t > Z90) & ~np.asarray(excluded))
        ok = ok[np.argsort(-(p[ok] * t[ok]), kind="stable")][:pick]
        result[side] = [
            {"statement": int(j), "n_success": int(n[j]), "n_trials": int(stats["ns"][j]), "p_success": float(p[j]), "p_test": float(t[j])}
            for j in ok
        ]
    return result
