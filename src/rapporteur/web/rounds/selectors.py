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

**Statement numbers** (``round_numbering``): a statement's id is its Pol.is ``comment-id``, the
same on the round page, the dashboard, the API and every export: the imported id for a statement
of an imported Pol.is conversation, otherwise the next free number in the order statements were
made, from 0 as in Pol.is. Participants are numbered the same way (Pol.is ``voter-id``).

The web layer holds no analysis: ``conversation`` hands the votes to the vote engine
(``rounds.services.analyse_round``) and the dashboard shows ``rapporteur.report.votes.round_view``.
"""
from __future__ import annotations

import hashlib

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils import translation

from .models import VOTE_NAMES, Participant, Round, RoundAnalysis, Statement, Vote, VoteEvent

ST = Statement.State
GROUP_ATTRIBUTES = ("region", "type")


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


def number_rows(rows) -> dict[int, int]:
    """Pol.is-style integer ids from ``(pk, external id)`` rows in pk order: imported ids where they are
    integers, the next free numbers otherwise."""
    out: dict[int, int] = {}
    used: set[int] = set()
    for pk, ext in rows:
        if ext.isdigit() and int(ext) not in used:
            out[pk] = int(ext)
            used.add(int(ext))
    nxt = max(used) + 1 if used else 0
    for pk, _ in rows:
        if pk not in out:
            out[pk] = nxt
            nxt += 1
    return out


def _rows(model, **filters) -> list[tuple[int, str]]:
    return list(model.objects.filter(**filters).order_by("pk").values_list("pk", "external_id"))


def statement_numbers(round: Round) -> dict[int, int]:
    """Statement pk → its number in the round (see the module docstring); stable as statements are added."""
    return number_rows(_rows(Statement, round=round))


def participant_numbers(round: Round) -> dict[int, int]:
    return number_rows(_rows(Participant, round=round))


def round_numbering(round: Round) -> tuple[dict[int, int], dict[int, int]]:
    """(statement pk → statement number, participant pk → participant number)."""
    return statement_numbers(round), participant_numbers(round)


def numbered(round: Round, statements) -> list[Statement]:
    """The statements, each with ``.number`` set (its id in the round)."""
    numbers = statement_numbers(round)
    out = list(statements)
    for s in out:
        s.number = numbers[s.pk]
    return out


def accepted_statements(round: Round) -> QuerySet[Statement]:
    return round.statements.filter(state=ST.ACCEPTED).order_by("pk")


def pending_statements(round: Round) -> QuerySet[Statement]:
    return round.statements.filter(state=ST.PENDING).select_related("author__organisation").order_by("pk")


def statements_awaiting_moderation() -> QuerySet[Statement]:
    """Participants' statements awaiting moderation in every round, for the moderation queue."""
    return (Statement.objects.filter(state=ST.PENDING).select_related("round__session", "author__organisation")
            .order_by("created_at", "pk"))


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
    pk = choose_next(state, user.pk)
    return None if pk is None else numbered(round, [Statement.objects.get(pk=pk)])[0]


def choose_next(state: list[tuple[int, int, bool]], user_id: int) -> int | None:
    """The pk of the statement to rate next from ``rating_state`` rows (see the module docstring)."""
    candidates = [(n, _tie_break(user_id, pk), pk) for pk, n, mine in state if not mine]
    return min(candidates)[2] if candidates else None


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
    numbers = statement_numbers(round)
    out = []
    for v in votes:
        v.statement.number = numbers[v.statement_id]
        out.append({"statement": v.statement, "value": v.value, "name": VOTE_NAMES[v.value], "updated_at": v.updated_at})
    return out


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
    attributes ``region``, ``subregion``, ``country`` and ``type`` from the organisations. Statement
    and participant ids are their numbers in the round (``round_numbering``)."""
    from rapporteur.votes import Conversation

    tids, pids = round_numbering(round)
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
    ids[:] = [str(pids[row[0]]) for row in participants]
    return Conversation(
        source=f"round {round.pk}",
        format="plain",
        participant_ids=ids,
        statement_ids=[str(tids[pk]) for pk, _t, _s in statements],
        statement_texts=[t for _pk, t, _s in statements],
        moderated_out=np.array([s == ST.REJECTED for _pk, _t, s in statements], dtype=bool),
        is_meta=np.zeros(m, dtype=bool),
        indptr=indptr,
        indices=np.asarray(cols, dtype=np.int32)[order],
        values=np.asarray(vals, dtype=np.int8)[order],
        attributes={"region": column(1), "subregion": column(2), "country": column(3), "type": column(4)},
        title=round.title,
    )


def analyses(data: dict | None) -> dict:
    """The stored analyses, ``{attribute: analysis}``, in ``GROUP_ATTRIBUTES`` order: PostgreSQL's
    jsonb does not keep key order (it would put "type" before "region"), and the first analysis is
    the one whose opinion groups every page and export shows."""
    data = data or {}
    return {**{a: data[a] for a in GROUP_ATTRIBUTES if a in data}, **data}


def cached_analysis(round: Round) -> RoundAnalysis:
    analysis, _ = RoundAnalysis.objects.get_or_create(round=round)
    return analysis


def statement_meta(round: Round) -> list[dict]:
    """Per statement: origin, key point and author's type, for ``rapporteur.analysis.measured.round_results``."""
    out = []
    numbers = statement_numbers(round)
    for s in Statement.objects.filter(round=round).exclude(state=ST.PENDING).select_related("author"):
        with translation.override("en"):  # read by the engine, kept in the synthesis: not the visitor's language
            origin = s.get_origin_display()
        out.append({"id": str(numbers[s.pk]), "origin": origin, "key_point": s.key_point or None,
                    "author": s.author.stakeholder_type if s.author_id else None})
    return out


# -------------------------------------------------------------------------------- dashboard
def dashboard(rating_round: Round, data: dict | None, show_small_groups: bool) -> dict:
    """What the dashboard shows: the engine's view (``rapporteur.report.votes.round_view``) of the
    last analysis, small groups left out unless ``show_small_groups`` (the secretariat)."""
    from rapporteur.report.votes import round_view

    return round_view(analyses(data), min_group=min_group_participants(), show_small_groups=show_small_groups)
