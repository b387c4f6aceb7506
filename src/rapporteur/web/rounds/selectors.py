"""Reads of rating rounds: the next statement to rate, progress, the conversation for the vote engine,
and the dashboard's view of the last analysis.

**Which statement comes next** (``next_statement``): among the round's accepted statements the
participant has not voted on, the one with the **fewest votes so far** (agree, disagree and pass
alike, latest vote per participant); ties are broken by a fixed pseudo-random order per
participant (a hash of the user and statement ids), so participants who start together do not all
get the same card, and a participant who reloads the page gets the same card again. Pol.is picks
at random with weights that favour little-voted statements (``(1 + 8·2^(−S/5))``, S = votes
seen); taking the least-voted one outright is simpler to explain and spreads votes evenly, which
a small round of delegates needs more than Pol.is's exploration of thousands of comments.

The web layer holds no analysis: ``compute_analysis`` hands the votes to
``rapporteur.votes.analyse`` and the dashboard shows what it returned.
"""
from __future__ import annotations

import hashlib

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet

from .models import VOTE_NAMES, Participant, Round, RoundAnalysis, Statement, Vote, VoteEvent

ST = Statement.State
GROUP_ATTRIBUTES = ("region", "type")
ATTRIBUTE_LABELS = {"region": ("UN region", "UN regions"), "type": ("stakeholder type", "stakeholder types")}
PALETTE = ["#1f5fa8", "#d9822b", "#2c7a3f", "#a8321f", "#7a4fa8", "#8c6d1f"]


def min_group_participants() -> int:
    """Groups with fewer participants are shown only to the secretariat (their votes would be identifiable)."""
    return int(getattr(settings, "RAPPORTEUR_ROUND_MIN_GROUP", 3))


# ----------------------------------------------------------------------------------- rounds
def rounds_for_session(session) -> QuerySet[Round]:
    return Round.objects.filter(session=session).annotate(
        n_statements=Count("statements", filter=Q(statements__state=ST.ACCEPTED), distinct=True),
    ).order_by("-created_at", "-pk")


def open_round_for_session(session) -> Round | None:
    return Round.objects.filter(session=session, status=Round.Status.OPEN).first()


def open_rounds() -> QuerySet[Round]:
    return Round.objects.select_related("session__phase__process").filter(status=Round.Status.OPEN).order_by("-created_at")


def round_detail(pk: int) -> Round:
    return Round.objects.select_related("session__phase__process", "source_synthesis").get(pk=pk)


def latest_round_with_votes(session) -> Round | None:
    """The round whose results go into the session's next synthesis: the newest one with votes."""
    return (Round.objects.filter(session=session, votes__isnull=False).distinct().order_by("-created_at", "-pk").first())


def accepted_statements(round: Round) -> QuerySet[Statement]:
    return round.statements.filter(state=ST.ACCEPTED).order_by("pk")


def pending_statements(round: Round) -> QuerySet[Statement]:
    return round.statements.filter(state=ST.PENDING).select_related("author__organisation").order_by("pk")


def participant_of(round: Round, user) -> Participant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Participant.objects.filter(round=round, user=user).first()


def _tie_break(user_id, statement_id) -> int:
    return int.from_bytes(hashlib.blake2b(f"{user_id}:{statement_id}".encode(), digest_size=8).digest(), "big")


def rating_state(round: Round, participant: Participant | None) -> list[tuple[int, int, bool]]:
    """``(statement id, votes on it, voted by the participant)`` for each accepted statement: one query."""
    qs = Statement.objects.filter(round=round, state=ST.ACCEPTED)
    if participant is None:
        return [(pk, n, False) for pk, n in qs.annotate(n=Count("votes")).values_list("pk", "n")]
    qs = qs.annotate(n=Count("votes"), mine=Count("votes", filter=Q(votes__participant=participant)))
    return [(pk, n, bool(mine)) for pk, n, mine in qs.values_list("pk", "n", "mine")]


def next_statement(round: Round, user, participant: Participant | None = None,
                   state: list[tuple[int, int, bool]] | None = None) -> Statement | None:
    """The statement the user should rate next (see the module docstring), or None when all are rated."""
    if state is None:
        state = rating_state(round, participant if participant is not None else participant_of(round, user))
    candidates = [(n, _tie_break(user.pk, pk), pk) for pk, n, mine in state if not mine]
    if not candidates:
        return None
    return Statement.objects.get(pk=min(candidates)[2])


def progress(round: Round, participant: Participant | None,
             state: list[tuple[int, int, bool]] | None = None) -> tuple[int, int]:
    """(statements the participant voted on, accepted statements)."""
    if state is None:
        state = rating_state(round, participant)
    return sum(1 for _pk, _n, mine in state if mine), len(state)


def my_votes(round: Round, participant: Participant | None) -> list[dict]:
    """The participant's current votes, oldest first, for the 'your votes' list."""
    if participant is None:
        return []
    votes = (Vote.objects.filter(participant=participant, statement__state=ST.ACCEPTED)
             .select_related("statement").order_by("created_at", "pk"))
    return [{"statement": v.statement, "value": v.value, "name": VOTE_NAMES[v.value], "updated_at": v.updated_at}
            for v in votes]


def live_counts(round: Round) -> dict:
    """Cheap figures shown at once (the analysis follows within seconds)."""
    agg = Vote.objects.filter(round=round).aggregate(votes=Count("id"), participants=Count("participant", distinct=True))
    return {"votes": agg["votes"], "participants": agg["participants"],
            "statements": Statement.objects.filter(round=round, state=ST.ACCEPTED).count(),
            "pending": Statement.objects.filter(round=round, state=ST.PENDING).count()}


def latest_event_id(round: Round) -> int:
    return VoteEvent.objects.filter(round=round).aggregate(m=Max("id"))["m"] or 0


# ----------------------------------------------------------------------------- conversation
def conversation(round: Round):
    """The round as the vote engine's ``Conversation``: every participant, the statements that are
    not awaiting moderation (rejected ones moderated out), each participant's latest votes, and the
    attributes ``region``, ``subregion``, ``country`` and ``type`` from the organisations."""
    from rapporteur.votes import Conversation

    participants = list(Participant.objects.filter(round=round).order_by("pk")
                        .values_list("pk", "region", "subregion", "country", "stakeholder_type"))
    statements = list(Statement.objects.filter(round=round).exclude(state=ST.PENDING).order_by("pk")
                      .values_list("pk", "text", "state"))
    p_index = {pk: i for i, (pk, *_rest) in enumerate(participants)}
    s_index = {pk: j for j, (pk, _t, _s) in enumerate(statements)}
    rows, cols, vals = [], [], []
    for p, s, v in Vote.objects.filter(round=round).values_list("participant_id", "statement_id", "value").iterator():
        j = s_index.get(s)
        if j is not None:
            rows.append(p_index[p])
            cols.append(j)
            vals.append(v)
    n, m = len(participants), len(statements)
    rows_a = np.asarray(rows, dtype=np.int64)
    order = np.lexsort((np.asarray(cols, dtype=np.int64), rows_a)) if rows else np.zeros(0, dtype=np.int64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows_a, minlength=n), out=indptr[1:])

    def column(k: int) -> np.ndarray:
        out = np.empty(n, dtype=object)
        out[:] = [row[k] or None for row in participants]
        return out

    ids = np.empty(n, dtype=object)
    ids[:] = [str(row[0]) for row in participants]
    return Conversation(
        source=f"round {round.pk}",
        format="plain",
        participant_ids=ids,
        statement_ids=[str(pk) for pk, _t, _s in statements],
        statement_texts=[t for _pk, t, _s in statements],
        moderated_out=np.array([s == ST.REJECTED for _pk, _t, s in statements], dtype=bool),
        is_meta=np.zeros(m, dtype=bool),
        indptr=indptr,
        indices=np.asarray(cols, dtype=np.int32)[order],
        values=np.asarray(vals, dtype=np.int8)[order],
        attributes={"region": column(1), "subregion": column(2), "country": column(3), "type": column(4)},
        title=round.title,
    )


def compute_analysis(round: Round) -> dict | None:
    """``{"region": analysis, "type": analysis}`` from ``rapporteur.votes.analyse``, or None without votes."""
    from rapporteur.votes import analyse

    conv = conversation(round)
    if conv.n_votes == 0:
        return None
    out = {}
    for attribute in GROUP_ATTRIBUTES:
        d = analyse(conv, group_by=attribute, seed=0).to_dict()
        if out:  # the opinion groups are the same in every analysis: keep them once
            d.pop("participants", None)
            for s in d["statements"]:
                s.pop("groups", None)
        out[attribute] = d
    return out


def cached_analysis(round: Round) -> RoundAnalysis:
    analysis, _ = RoundAnalysis.objects.get_or_create(round=round)
    return analysis


def statement_meta(round: Round) -> list[dict]:
    """Per statement: origin, key point and author's type, for ``rapporteur.analysis.measured.round_results``."""
    out = []
    for s in Statement.objects.filter(round=round).exclude(state=ST.PENDING).select_related("author"):
        out.append({"id": str(s.pk), "origin": s.get_origin_display(), "key_point": s.key_point or None,
                    "author": s.author.stakeholder_type if s.author_id else None})
    return out


# -------------------------------------------------------------------------------- dashboard
def _pct(x) -> str:
    return "–" if x is None else f"{round(100 * x)}%"


def dashboard(rating_round: Round, data: dict | None, show_small_groups: bool) -> dict:
    """What the dashboard shows, read from the analysis the vote engine returned (nothing recomputed)."""
    if not data:
        return {"ready": False}
    main = data[GROUP_ATTRIBUTES[0]]
    statements = {s["id"]: s for s in main["statements"]}
    shown = [s for s in main["statements"] if not s["moderated_out"]]

    def entry(sid: str, **extra) -> dict:
        s = statements[sid]
        seen = s["seen"]
        return {"id": sid, "text": s["text"], "agree": s["agree"], "disagree": s["disagree"], "pass": s["pass"],
                "seen": seen, "agree_pct": _pct(s["agree"] / seen if seen else None),
                "disagree_pct": _pct(s["disagree"] / seen if seen else None),
                "pass_pct": _pct(s["pass"] / seen if seen else None), **extra}

    # opinion map: participants on the two principal components, coloured by opinion group
    points = [p for p in main.get("participants", []) if p["x"] is not None and p["y"] is not None and p["n_votes"]]
    width, height, pad = 420, 300, 16
    xs, ys = [p["x"] for p in points], [p["y"] for p in points]
    span_x = (max(xs) - min(xs)) if xs else 0
    span_y = (max(ys) - min(ys)) if ys else 0

    def sx(x):
        return pad + (width - 2 * pad) * ((x - min(xs)) / span_x if span_x else 0.5)

    def sy(y):
        return pad + (height - 2 * pad) * (1 - ((y - min(ys)) / span_y if span_y else 0.5))

    dots = [{"x": round(sx(p["x"]), 1), "y": round(sy(p["y"]), 1),
             "color": PALETTE[p["group"] % len(PALETTE)] if p["group"] is not None else "#8a94a3"} for p in points]
    groups = []
    for g in main["groups"]:
        groups.append({
            "label": g["label"], "size": g["size"], "color": PALETTE[g["id"] % len(PALETTE)],
            "representative": [entry(r["statement"], side=r["repful_for"], p=_pct(r["p_success"]),
                                     n_success=r["n_success"], n_trials=r["n_trials"]) for r in g["representative"]],
        })
    consensus = {side: [entry(e["statement"], p=_pct(e["p_success"])) for e in main["consensus"].get(side, [])]
                 for side in ("agree", "disagree")}
    divisive = sorted((s for s in shown if s["divisiveness"] is not None and s["seen"]),
                      key=lambda s: (-s["divisiveness"], s["id"]))[:5]
    k = min_group_participants()
    known_tables = []
    for attribute in GROUP_ATTRIBUTES:
        d = data.get(attribute) or {}
        kg = d.get("known_groups")
        if not kg:
            continue
        names = [g["name"] for g in kg["groups"] if g["participants_with_votes"]]
        visible = [g for g in kg["groups"] if g["participants_with_votes"]
                   and (show_small_groups or g["participants_with_votes"] >= k)]
        visible_names = {g["name"] for g in visible}
        per_statement = {s["id"]: s.get("known_groups") or {} for s in d["statements"]}
        rows = []
        for s in shown:
            cells = []
            for g in visible:
                c = (per_statement.get(s["id"], {}).get("groups") or {}).get(g["name"])
                seen = c["seen"] if c else 0
                cells.append({"seen": seen, "agree_pct": _pct(c["agree"] / seen) if seen else "–",
                              "agree": c["agree"] if c else 0, "disagree": c["disagree"] if c else 0})
            rows.append({"statement": entry(s["id"]), "cells": cells})
        all_visible = len(visible_names) == len(names)
        known_tables.append({
            "attribute": attribute, "label": ATTRIBUTE_LABELS[attribute][0], "plural": ATTRIBUTE_LABELS[attribute][1],
            "groups": visible,
            "hidden": len(names) - len(visible), "rows": rows, "note": kg.get("note"),
            # "every group agrees" would reveal the vote of a group too small to show: listed only when all are shown
            "consensus": [entry(c["statement"], direction=c["direction"]) for c in kg["cross_group_consensus"]]
            if all_visible else None,
            "divergence": [entry(c["statement"], difference=_pct(c["difference"]),
                                 highest=c["highest"] if all_visible else None,
                                 lowest=c["lowest"] if all_visible else None) for c in kg["divergence"][:5]],
        })
    return {
        "ready": True,
        "counts": main["counts"],
        "map": {"width": width, "height": height, "dots": dots},
        "groups": groups,
        "groups_note": main["parameters"].get("not_clustered_because"),
        "consensus": consensus,
        # divisiveness is a distance on the opinion map: meaningful once there are opinion groups
        "divisive": [entry(s["id"]) for s in divisive] if main["groups"] else [],
        "known": known_tables,
        "min_group": k,
        "statements": [entry(s["id"]) for s in sorted(shown, key=lambda s: (-s["seen"], s["id"]))],
    }
