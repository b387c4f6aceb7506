"""Measured agreement: a rating round's votes merged into a synthesis report.

A rapporteur's areas of convergence and divergence are read from what was *said*. A rating round
puts the synthesis's key points (and statements participants add) back to the participants, who
agree, disagree or pass, as in Pol.is. This module merges the round's results into the report
dict (``rapporteur.report.data.synthesis_dict``) so that every key point shows its measured
agreement and every convergence/divergence item says whether the vote confirmed it.

Two steps, both on plain data:

1. ``round_results(analyses, statements)`` turns the vote engine's output
   (``rapporteur.votes.analyse(conversation, group_by=attribute).to_dict()``, one per known-group
   attribute, e.g. ``{"region": ..., "type": ...}``) into a compact, JSON-ready summary: per
   statement the agree / disagree / pass counts overall and per known group.
2. ``add_measured(report, results)`` returns a copy of the report with ``report["votes"]`` (the
   round) and a ``measured`` entry on every key point and on every convergence and divergence
   item. A report without votes is left exactly as it was.

**Linking.** A round statement measures the key point whose label is the same text (whitespace
folded; labels are verbatim quotes, so the text is the identity that survives a re-run of the
synthesis). Statements added by participants measure no key point; they are listed on their own.

**Shares** are raw: ``agree_share = A / n`` with ``n = A + D + P`` (passes count as votes seen,
as in Pol.is). Per group ``g`` (a UN region, a stakeholder type) the same with ``A_g, D_g, P_g``.

**The rules** (``MeasuredRules``; defaults below):

* *Enough votes*: a statement needs ``n ≥ min_votes`` (5); with fewer, nothing is confirmed or
  refuted (``confirmed = null``, "too few votes").
* *Counted groups*: a group enters the rules, and is shown by name, only when at least
  ``min_group_votes`` (3) of its participants voted on the statement. Smaller groups are folded
  into a count ("2 groups with fewer than 3 votes not shown"): the result of a group of one is that
  participant's vote, which a published report must not reveal.
* *Convergent*: ``agree_share ≥ agree_share_min`` (0.6) overall **and** in every counted group of
  every attribute. A convergence item is **confirmed** when its key point is convergent, and
  **not confirmed** otherwise (the reason names the overall share or the first group below 0.6).
* *Divided*: the vote splits — ``min(agree_share, disagree_share) ≥ split_share_min`` (0.25)
  overall — **or** two counted groups of one attribute differ in agree share by at least
  ``group_difference_min`` (0.3) while the lower one is below ``agree_share_min`` (Sensemaker's
  "differences of opinion": groups apart, and not all of them agreeing). A divergence item is
  **confirmed** when its key point is divided, **not confirmed** otherwise.
* A key point that was not put to the vote has ``measured = null``; its items
  ``confirmed = null`` ("not put to the vote").
"""
from __future__ import annotations

import copy
from dataclasses import asdict, dataclass

ATTRIBUTE_LABELS = {"region": "region", "type": "stakeholder type", "subregion": "sub-region"}


@dataclass(frozen=True)
class MeasuredRules:
    min_votes: int = 5
    min_group_votes: int = 3
    agree_share_min: float = 0.6
    split_share_min: float = 0.25
    group_difference_min: float = 0.3


def fold(text: str) -> str:
    """The form under which a statement and a key point label are compared."""
    return " ".join((text or "").split())


def _share(count: int, n: int) -> float | None:
    return round(count / n, 4) if n else None


# ---------------------------------------------------------------------------------- step 1
def round_results(analyses: dict[str, dict], statements: list[dict] | None = None, title: str | None = None) -> dict:
    """A round's results from the vote engine's ``to_dict()`` outputs, one per grouping attribute.

    ``analyses``: ``{attribute: VoteAnalysis.to_dict()}``, all of the same conversation (the first
    one gives the overall counts, opinion groups and Pol.is consensus). ``statements``: optional
    metadata per statement id — ``{"id", "origin", "key_point", "author"}`` — kept as given.
    """
    if not analyses:
        raise ValueError("round_results needs at least one analysis")
    attributes = list(analyses)
    first = analyses[attributes[0]]
    meta = {str(s["id"]): s for s in (statements or [])}
    known = {a: {s["id"]: s.get("known_groups") or {} for s in d["statements"]} for a, d in analyses.items()}
    out_statements = []
    for s in first["statements"]:
        sid = str(s["id"])
        m = meta.get(sid, {})
        n = int(s["agree"] + s["disagree"] + s["pass"])
        groups = {}
        for attribute in attributes:
            per = (known[attribute].get(s["id"]) or {}).get("groups") or {}
            groups[attribute] = {
                name: {"agree": g["agree"], "disagree": g["disagree"], "pass": g["pass"], "n": g["seen"]}
                for name, g in per.items()
                if g["seen"]
            }
        out_statements.append({
            "id": sid,
            "text": s["text"],
            "origin": m.get("origin", "statement"),
            "key_point": m.get("key_point"),
            "author": m.get("author"),
            "moderated_out": bool(s.get("moderated_out")),
            "agree": int(s["agree"]),
            "disagree": int(s["disagree"]),
            "pass": int(s["pass"]),
            "n": n,
            "agree_share": _share(s["agree"], n),
            "disagree_share": _share(s["disagree"], n),
            "pass_share": _share(s["pass"], n),
            "majority_consensus": s.get("majority_consensus"),
            "divisiveness": s.get("divisiveness"),
            "groups": groups,
        })
    known_summaries = {a: d.get("known_groups") or {} for a, d in analyses.items()}
    counts = first["counts"]
    return {
        "title": title or first.get("title"),
        "participants": counts["participants"],
        "participants_with_votes": counts["participants_with_votes"],
        "votes": counts["votes"],
        "opinion_groups": first["parameters"]["k"],
        "opinion_groups_note": first["parameters"].get("not_clustered_because"),
        "group_by": attributes,
        "groups": {a: known_summaries[a].get("groups", []) for a in attributes},
        "statements": out_statements,
        "consensus": [e["statement"] for e in first["consensus"].get("agree", [])],
        "consensus_disagree": [e["statement"] for e in first["consensus"].get("disagree", [])],
        "cross_group_consensus": {a: [e["statement"] for e in known_summaries[a].get("cross_group_consensus", [])]
                                  for a in attributes},
        "divergent_between_groups": {a: [e["statement"] for e in known_summaries[a].get("divergence", [])]
                                     for a in attributes},
    }


# ---------------------------------------------------------------------------------- step 2
def measure(statement: dict, rules: MeasuredRules = MeasuredRules()) -> dict:
    """The ``measured`` entry of one round statement: counts, shares, counted groups, verdicts."""
    n = statement["n"]
    per_group: dict[str, dict] = {}
    hidden = 0
    for attribute, groups in statement["groups"].items():
        shown = {}
        for name, g in sorted(groups.items()):
            if g["n"] >= rules.min_group_votes:
                shown[name] = {**g, "agree_share": _share(g["agree"], g["n"]), "disagree_share": _share(g["disagree"], g["n"])}
            elif g["n"]:
                hidden += 1
        per_group[attribute] = shown
    out = {
        "statement": statement["id"],
        "agree": statement["agree"],
        "disagree": statement["disagree"],
        "pass": statement["pass"],
        "n": n,
        "agree_share": _share(statement["agree"], n),
        "disagree_share": _share(statement["disagree"], n),
        "pass_share": _share(statement["pass"], n),
        "per_group": per_group,
        "groups_not_shown": hidden,
    }
    if n < rules.min_votes:
        reason = f"too few votes to tell ({n} of the {rules.min_votes} needed)"
        out.update(convergent=None, divided=None, convergent_reason=reason, divided_reason=reason)
        return out
    a, d = statement["agree"] / n, statement["disagree"] / n
    # convergent: overall and in every counted group
    low = [(attr, name, g["agree_share"]) for attr, gs in per_group.items() for name, g in gs.items()
           if g["agree_share"] < rules.agree_share_min]
    if a < rules.agree_share_min:
        out["convergent"] = False
        out["convergent_reason"] = f"{_pct(a)} agree overall ({n} votes), below {_pct(rules.agree_share_min)}"
    elif low:
        attr, name, share = low[0]
        out["convergent"] = False
        out["convergent_reason"] = f"{_pct(a)} agree overall, but {_pct(share)} in {name} ({ATTRIBUTE_LABELS.get(attr, attr)})"
    else:
        counted = sum(len(gs) for gs in per_group.values())
        out["convergent"] = True
        out["convergent_reason"] = (f"{_pct(a)} agree overall ({n} votes)"
                                    + (f" and at least {_pct(rules.agree_share_min)} in each of {counted} groups"
                                       if counted else "; no group had enough votes to be counted"))
    # divided: a split vote, or groups apart
    widest = None
    for attr, gs in per_group.items():
        if len(gs) >= 2:
            hi = max(gs.items(), key=lambda kv: kv[1]["agree_share"])
            lo = min(gs.items(), key=lambda kv: kv[1]["agree_share"])
            gap = hi[1]["agree_share"] - lo[1]["agree_share"]
            if widest is None or gap > widest[0]:
                widest = (gap, attr, hi, lo)
    if min(a, d) >= rules.split_share_min:
        out["divided"] = True
        out["divided_reason"] = f"the vote splits: {_pct(a)} agree, {_pct(d)} disagree ({n} votes)"
    elif (widest is not None and widest[0] >= rules.group_difference_min - 1e-9
          and widest[3][1]["agree_share"] < rules.agree_share_min):
        gap, attr, hi, lo = widest
        out["divided"] = True
        out["divided_reason"] = (f"{ATTRIBUTE_LABELS.get(attr, attr)} groups differ: {_pct(hi[1]['agree_share'])} agree in "
                                 f"{hi[0]}, {_pct(lo[1]['agree_share'])} in {lo[0]}")
    else:
        out["divided"] = False
        out["divided_reason"] = (f"{_pct(a)} agree, {_pct(d)} disagree ({n} votes); no counted group below "
                                 f"{_pct(rules.agree_share_min)} agree is {_pct(rules.group_difference_min)} or more "
                                 "below another")
    return out


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def link_key_points(report: dict, results: dict) -> dict[str, str]:
    """``{key point id: round statement id}``: a statement measures the key point with its text as label."""
    by_text: dict[str, str] = {}
    for s in results["statements"]:
        if not s.get("moderated_out"):
            by_text.setdefault(fold(s["text"]), s["id"])
    links = {}
    for kp in report.get("key_points", []):
        sid = by_text.get(fold(kp["label"]))
        if sid is not None:
            links[kp["id"]] = sid
    return links


def add_measured(report: dict, results: dict, rules: MeasuredRules = MeasuredRules()) -> dict:
    """A copy of ``report`` with the round's measured agreement (see the module docstring)."""
    out = copy.deepcopy(report)
    links = link_key_points(out, results)
    by_id = {s["id"]: s for s in results["statements"]}
    measured = {sid: measure(s, rules) for sid, s in by_id.items()}
    linked = set(links.values())
    for kp in out.get("key_points", []):
        sid = links.get(kp["id"])
        kp["measured"] = {**measured[sid], "confirmed": None} if sid is not None else None
    kp_measured = {kp["id"]: kp["measured"] for kp in out.get("key_points", [])}
    for kind, verdict in (("convergence", "convergent"), ("divergence", "divided")):
        for item in out.get(kind, []):
            m = kp_measured.get(item["key_point"])
            if m is None:
                item["measured"] = {"confirmed": None, "reason": "not put to the vote"}
                continue
            item["measured"] = {**m, "confirmed": m[verdict], "reason": m[verdict + "_reason"]}
    # a key point's own ``confirmed``: of the list it is in (convergence first), else null
    for kp in out.get("key_points", []):
        if kp["measured"] is None:
            continue
        for kind, verdict in (("convergence", "convergent"), ("divergence", "divided")):
            if any(item["key_point"] == kp["id"] for item in out.get(kind, [])):
                kp["measured"]["confirmed"] = kp["measured"][verdict]
                break
    statements = []
    for s in results["statements"]:
        if s.get("moderated_out"):
            continue
        m = measured[s["id"]]
        statements.append({
            "id": s["id"], "text": s["text"], "origin": s.get("origin"),
            "key_point": next((k for k, v in links.items() if v == s["id"]), None),
            **{k: m[k] for k in ("agree", "disagree", "pass", "n", "agree_share", "disagree_share", "pass_share",
                                 "per_group", "groups_not_shown", "convergent", "divided")},
        })
    statements.sort(key=lambda s: (-(s["agree_share"] or 0), -s["n"], s["id"]))
    out["votes"] = {
        "title": results.get("title"),
        "participants": results["participants_with_votes"],
        "votes": results["votes"],
        "opinion_groups": results.get("opinion_groups"),
        "group_by": results.get("group_by", []),
        # a region or stakeholder type is named only with enough participants (its votes could be read off)
        "groups": {a: [g for g in gs if (g.get("participants_with_votes") or 0) >= rules.min_group_votes]
                   for a, gs in results.get("groups", {}).items()},
        "groups_not_shown": {a: sum(1 for g in gs if 0 < (g.get("participants_with_votes") or 0) < rules.min_group_votes)
                             for a, gs in results.get("groups", {}).items()},
        "key_points_measured": len(links),
        "statements": statements,
        "new_statements": [s["id"] for s in statements if s["id"] not in linked],
        "consensus": [sid for sid in results.get("consensus", []) if sid in by_id],
        "rules": asdict(rules),
    }
    return out
