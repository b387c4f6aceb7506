"""The vote analysis: opinion groups, statement statistics and known-group convergence.

``analyse(conversation, group_by=None, seed=0)`` returns a ``VoteAnalysis`` whose ``to_dict()``
is JSON-ready (NaN and infinities become ``None``). See ``opinion_groups``, ``statement_stats`` and
``known_groups`` for every formula.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rapporteur.model import InputProblem
from rapporteur.votes.conversation import Conversation, VoteInputError
from rapporteur.votes.known_groups import CATEGORIES, KnownGroups, known_groups
from rapporteur.votes.opinion_groups import OpinionGroups, opinion_groups
from rapporteur.votes.statement_stats import (
    Repness,
    Tally,
    group_informed_consensus,
    majority_consensus,
    p_hat,
    repness,
    select_consensus,
    select_representative,
    tally,
)

GROUP_BY_ALIASES = {
    "type": "type",
    "stakeholder": "type",
    "stakeholder_type": "type",
    "stakeholder-type": "type",
    "un_region": "region",
    "m49_region": "region",
}


def group_label(i: int) -> str:
    """Pol.is's letters: 0 → A, 1 → B, … 25 → Z, 26 → AA."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


@dataclass
class VoteAnalysis:
    conversation: Conversation
    opinion: OpinionGroups
    everyone: Tally  # all participants, shape (1, m)
    groups_tally: Tally | None  # opinion groups, shape (G, m)
    repness: Repness | None
    representative: list[list[dict]]  # per opinion group, Pol.is's selection
    gic: np.ndarray | None  # group-informed consensus over opinion groups
    gic_disagree: np.ndarray | None
    majority: np.ndarray  # "agree" / "disagree" / None per statement
    consensus: dict[str, list[dict]]  # Pol.is's top 5 consensus statements each way
    known: KnownGroups | None
    problems: list[InputProblem] = field(default_factory=list)
    seed: int = 0

    @property
    def n_groups(self) -> int:
        return self.opinion.n_groups

    # ---------------------------------------------------------------------------- JSON view
    def to_dict(self) -> dict:
        conv, op = self.conversation, self.opinion
        sid = conv.statement_ids
        nvotes = conv.votes_per_participant
        polis_groups = conv.polis.group_ids if conv.polis is not None else None
        participants = []
        xs, ys = op.x.tolist(), op.y.tolist()
        groups = op.group.tolist()
        counts = nvotes.tolist()
        inside = op.in_conversation.tolist()
        for i, pid in enumerate(conv.participant_ids.tolist()):
            row = {
                "id": pid,
                "group": groups[i] if groups[i] >= 0 else None,
                "x": _num(xs[i]),
                "y": _num(ys[i]),
                "n_votes": counts[i],
                "in_conversation": inside[i],
            }
            if polis_groups is not None:
                row["polis_group"] = int(polis_groups[i]) if polis_groups[i] >= 0 else None
            participants.append(row)

        group_sizes = np.bincount(op.group[op.group >= 0], minlength=op.n_groups)
        groups_out = []
        for g in range(op.n_groups):
            groups_out.append(
                {
                    "id": g,
                    "label": group_label(g),
                    "size": int(group_sizes[g]),
                    "center": [_num(v) for v in op.group_centers[g]],
                    "representative": [_rep_entry(s, conv) for s in self.representative[g]],
                }
            )

        ev = self.everyone
        a, d, p = ev.agree[0], ev.disagree[0], ev.passes[0]
        s = a + d + p
        pa, pd, pp = p_hat(a, s), p_hat(d, s), p_hat(p, s)
        rep = self.repness
        gt = self.groups_tally
        chosen = [{e["statement"] for e in lst} for lst in self.representative]
        category_sets = {c: set(v) for c, v in self.known.categories.items()} if self.known is not None else {}
        st_out = []
        for j in range(conv.n_statements):
            entry = {
                "id": sid[j],
                "text": conv.statement_texts[j],
                "moderated_out": bool(conv.moderated_out[j]),
                "is_meta": bool(conv.is_meta[j]),
                "agree": int(a[j]),
                "disagree": int(d[j]),
                "pass": int(p[j]),
                "seen": int(s[j]),
                "p_agree": _num(pa[j]),
                "p_disagree": _num(pd[j]),
                "p_pass": _num(pp[j]),
                "group_informed_consensus": _num(self.gic[j]) if self.gic is not None else None,
                "group_informed_consensus_disagree": _num(self.gic_disagree[j]) if self.gic_disagree is not None else None,
                "majority_consensus": self.majority[j],
                "divisiveness": _num(op.extremity[j]),
                "x": _num(op.statement_xy[j, 0]),
                "y": _num(op.statement_xy[j, 1]),
                "groups": {},
            }
            if rep is not None and gt is not None:
                for g in range(op.n_groups):
                    entry["groups"][str(g)] = {
                        "agree": int(gt.agree[g, j]),
                        "disagree": int(gt.disagree[g, j]),
                        "pass": int(gt.passes[g, j]),
                        "seen": int(rep.ns[g, j]),
                        "p_agree": _num(rep.pa[g, j]),
                        "p_disagree": _num(rep.pd[g, j]),
                        "p_agree_test": _num(rep.pat[g, j]),
                        "p_disagree_test": _num(rep.pdt[g, j]),
                        "repness_agree": _num(rep.ra[g, j]),
                        "repness_disagree": _num(rep.rd[g, j]),
                        "repness_agree_test": _num(rep.rat[g, j]),
                        "repness_disagree_test": _num(rep.rdt[g, j]),
                        "repful_for": "agree" if rep.rat[g, j] > rep.rdt[g, j] else "disagree",
                        "representative": j in chosen[g],
                    }
            if self.known is not None:
                entry["known_groups"] = _known_statement(self.known, j, category_sets)
            st_out.append(entry)

        pca = op.pca
        return {
            "source": conv.source,
            "format": conv.format,
            "title": conv.title,
            "attribution": conv.attribution,
            "counts": {
                "participants": conv.n_participants,
                "participants_with_votes": int((nvotes > 0).sum()),
                "in_conversation": int(op.in_conversation.sum()),
                "clustered": int((op.group >= 0).sum()),
                "statements": conv.n_statements,
                "statements_moderated_out": int(conv.moderated_out.sum()),
                "votes": conv.n_votes,
            },
            "parameters": {
                "seed": self.seed,
                "min_votes": op.parameters.get("min_votes"),
                "base_clusters": int(len(op.base_centers)),
                "base_sample": op.base_sample,
                "max_groups": op.parameters.get("max_groups"),
                "k": op.n_groups,
                "silhouettes": {str(k): _num(v) for k, v in op.silhouettes.items()},
                "not_clustered_because": op.too_small,
                "pca": {
                    "solver": pca.solver,
                    "iterations": pca.iterations,
                    "eigenvalues": [_num(v) for v in pca.eigenvalues],
                    "columns": pca.n_columns,
                    "zeroed_columns": pca.n_zeroed,
                },
            },
            "participants": participants,
            "groups": groups_out,
            "statements": st_out,
            "consensus": {
                side: [{**e, "statement": sid[e["statement"]]} for e in lst] for side, lst in self.consensus.items()
            },
            "known_groups": _known_summary(self.known, conv) if self.known is not None else None,
            "problems": [
                {"source": pr.source, "line": pr.line, "reason": pr.reason, "skipped": pr.skipped} for pr in self.problems
            ],
        }


def _num(x) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def _rep_entry(s: dict, conv: Conversation) -> dict:
    out = {k: (_num(v) if isinstance(v, float) else v) for k, v in s.items()}
    out["statement"] = conv.statement_ids[s["statement"]]
    return out


def _known_statement(k: KnownGroups, j: int, category_sets: dict[str, set]) -> dict:
    t = k.tally
    groups = {}
    for g, name in enumerate(k.names):
        groups[name] = {
            "agree": int(t.agree[g, j]),
            "disagree": int(t.disagree[g, j]),
            "pass": int(t.passes[g, j]),
            "seen": int(t.agree[g, j] + t.disagree[g, j] + t.passes[g, j]),
            "p_agree": _num(k.p_agree[g, j]),
            "p_disagree": _num(k.p_disagree[g, j]),
            "p_pass": _num(k.p_pass[g, j]),
        }
    return {
        "groups": groups,
        "group_informed_consensus": _num(k.gic[j]),
        "group_informed_consensus_disagree": _num(k.gic_disagree[j]),
        "cross_group_consensus": k.consensus[j],
        "max_difference": _num(k.max_difference[j]),
        "highest": k.names[k.highest[j]] if k.highest[j] >= 0 else None,
        "lowest": k.names[k.lowest[j]] if k.lowest[j] >= 0 else None,
        "chi2": _num(k.chi2[j]),
        "dof": int(k.dof[j]),
        "p_value": _num(k.p_value[j]),
        "q_value": _num(k.q_value[j]),
        "divergent": bool(k.divergent[j]),
        "categories": [c for c in CATEGORIES if j in category_sets.get(c, ())],
    }


def _known_summary(k: KnownGroups, conv: Conversation) -> dict:
    sid = conv.statement_ids
    excluded = conv.moderated_out
    cons = [j for j in range(conv.n_statements) if k.consensus[j] is not None and not excluded[j]]
    cons.sort(key=lambda j: -(k.gic[j] if k.consensus[j] == "agree" else k.gic_disagree[j]))
    div = [j for j in np.flatnonzero(k.divergent & ~excluded)]
    div.sort(key=lambda j: (-k.max_difference[j], k.q_value[j]))
    return {
        "attribute": k.attribute,
        "groups": [
            {"name": name, "participants": int(k.sizes[g]), "participants_with_votes": int(k.voters[g])}
            for g, name in enumerate(k.names)
        ],
        "unassigned_participants": k.unassigned,
        "cross_group_consensus": [
            {
                "statement": sid[j],
                "direction": k.consensus[j],
                "group_informed_consensus": _num(k.gic[j] if k.consensus[j] == "agree" else k.gic_disagree[j]),
                "min_p": _num((k.p_agree if k.consensus[j] == "agree" else k.p_disagree)[:, j].min()),
            }
            for j in cons
        ],
        "divergence": [
            {
                "statement": sid[j],
                "difference": _num(k.max_difference[j]),
                "highest": k.names[k.highest[j]],
                "lowest": k.names[k.lowest[j]],
                "chi2": _num(k.chi2[j]),
                "dof": int(k.dof[j]),
                "p_value": _num(k.p_value[j]),
                "q_value": _num(k.q_value[j]),
            }
            for j in div
        ],
        "categories": {c: [sid[j] for j in k.categories.get(c, [])] for c in CATEGORIES},
        "thresholds": {
            "min_votes": 20,
            "common_ground_min_p": 0.6,
            "difference_min": 0.3,
            "uncertain_pass_rate": _num(k.uncertain_threshold),
            "alpha": 0.05,
            "divergence_min_difference": 0.10,
        },
        "note": k.note,
    }


def resolve_group_by(conv: Conversation, group_by: str) -> str:
    """The attribute name for ``group_by`` (``region``, ``type``, or any participant column)."""
    key = "_".join(group_by.strip().lower().replace("-", " ").split())
    key = GROUP_BY_ALIASES.get(key, key)
    conv.attribute(key)  # raises VoteInputError naming the available attributes
    return key


def analyse(conversation: Conversation, group_by: str | None = None, seed: int = 0, **options) -> VoteAnalysis:
    """Run the whole vote analysis.

    ``options`` go to ``opinion_groups`` (``base_k``, ``max_groups``, ``min_votes``,
    ``max_base_sample``). Raises ``VoteInputError`` for an unknown ``group_by``; a conversation too
    small to cluster is analysed without opinion groups (recorded in ``problems``).
    """
    conv = conversation
    if conv.n_participants == 0 or conv.n_votes == 0:
        raise VoteInputError(Path(conv.source).name, "no votes: nothing to analyse")
    attribute = resolve_group_by(conv, group_by) if group_by else None
    problems = list(conv.problems)
    op = opinion_groups(conv, seed=seed, **options)
    if op.too_small:
        problems.append(InputProblem(source=Path(conv.source).name, reason=op.too_small, skipped=False))
    everyone = tally(conv, np.zeros(conv.n_participants, dtype=np.int64), 1)
    majority, cstats = majority_consensus(everyone)
    consensus = select_consensus(cstats, conv.moderated_out)
    gt = rep = gic = gic_d = None
    representative: list[list[dict]] = []
    if op.n_groups:
        gt = tally(conv, op.group, op.n_groups)
        rep = repness(gt)
        representative = select_representative(rep, conv.moderated_out)
        gic = group_informed_consensus(gt.agree, gt.seen)
        gic_d = group_informed_consensus(gt.disagree, gt.seen)
    known = known_groups(conv, attribute) if attribute else None
    if known is not None and known.note:
        problems.append(InputProblem(source=Path(conv.source).name, reason=known.note, skipped=False))
    return VoteAnalysis(
        conversation=conv,
        opinion=op,
        everyone=everyone,
        groups_tally=gt,
        repness=rep,
        representative=representative,
        gic=gic,
        gic_disagree=gic_d,
        majority=majority,
        consensus=consensus,
        known=known,
        problems=problems,
        seed=seed,
    )


def analyse_by(conversation: Conversation, attributes: tuple[str, ...] = ("region", "type"), seed: int = 0) -> dict:
    """``{attribute: analyse(conversation, group_by=attribute).to_dict()}``, or ``{}`` without votes.

    The opinion groups are the same in every analysis: only the first keeps the participants and
    each statement's opinion-group figures. This is what a rating round's dashboard
    (``rapporteur.report.votes.round_view``) and its measured agreement
    (``rapporteur.analysis.measured.round_results``) read.
    """
    if conversation.n_votes == 0:
        return {}
    out: dict[str, dict] = {}
    for attribute in attributes:
        d = analyse(conversation, group_by=attribute, seed=seed).to_dict()
        if out:
            d.pop("participants", None)
            for s in d["statements"]:
                s.pop("groups", None)
        out[attribute] = d
    return out
