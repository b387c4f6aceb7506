"""What the API answers a voter: the two token requests a delegate repeats in a rating round, the
next statement to rate and a vote on it, as ``(HTTP status, JSON body)``.

Both the django-ninja operations (``api.next_statement``, ``api.vote``, which document them in the
OpenAPI schema) and the voting lane (``web.lane``, which answers them under load without Django's
request cycle) call these functions, so the two give the same answer to the same request.
"""
from __future__ import annotations

from django.db import connection

from rapporteur.web.core.db import prepared_cursor
from rapporteur.web.rounds import selectors as round_selectors
from rapporteur.web.rounds import services as round_services
from rapporteur.web.rounds.ballot import ballot
from rapporteur.web.rounds.models import Statement
from rapporteur.web.rounds.rules import is_accredited_delegate

from .selectors import user_for_token

MAX_TOKEN_CHARS = 200
NOT_A_PARTICIPANT = {"detail": "Only delegates of accredited organisations take part in rating rounds.",
                     "code": "not_a_participant"}


def token_user(token: str):
    """The active user of a live API token, or None (one query, with whether they may vote)."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    user = user_for_token(token)
    if user is None or not user.is_active:
        return None
    return user


def statement_out(s: Statement) -> dict:
    """A statement as the API shows it (``StatementOut``); ``s.number``: its id in the round
    (``rounds.selectors.numbered``)."""
    return {"id": s.number, "text": s.text, "origin": s.origin, "key_point": s.key_point, "context": s.context}


def _statement_to_rate(pk: int, number: int) -> dict:
    q = connection.ops.quote_name
    with prepared_cursor() as cursor:  # a plain query: the ORM takes longer to build it than to run it
        cursor.execute(f"SELECT {q('text')}, {q('origin')}, {q('key_point')}, {q('context')} "
                       f"FROM {q(Statement._meta.db_table)} WHERE {q('id')} = %s", [pk])
        text, origin, key_point, context = cursor.fetchone()
    statement = Statement(pk=pk, text=text, origin=origin, key_point=key_point, context=context)
    statement.number = number
    return statement_out(statement)


def next_answer(user, round_id: int) -> tuple[int, dict]:
    """The least-voted statement the user has not rated yet, with their progress (``NextStatement``)."""
    seen = ballot(round_id, user.pk, counts=True)
    if seen is None:
        return 404, {"detail": "No such round.", "code": "not_found"}
    if not user.has_perm("rounds.vote", seen):  # the rule reads the ballot's is_open as a round's
        if not seen.is_open:
            return 409, {"detail": f"Round {round_id} is closed: votes are no longer taken.", "code": "round_closed"}
        return 403, dict(NOT_A_PARTICIPANT)
    pk = round_selectors.choose_next(seen.rating_state, user.pk)
    done, total = seen.progress()
    return 200, {"round": round_id, "done": done, "total": total,
                 "statement": _statement_to_rate(pk, seen.numbers[pk]) if pk is not None else None}


def vote_answer(user, round_id: int, number: int, vote: str) -> tuple[int, dict]:
    """Record the user's vote on the statement with ``number``: 201 when it changed something, 200 when
    it repeats their current vote (``VoteOut``), or the refusal."""
    if not is_accredited_delegate(user):
        return 403, dict(NOT_A_PARTICIPANT)
    try:
        changed = round_services.cast_ballot_vote(round_id=round_id, number=number, user=user, value=vote)
    except round_services.VoteRefused as refused:
        return refused.status, {"detail": refused.message, "code": refused.code}
    return (201 if changed else 200), {"round": round_id, "statement": number, "vote": vote, "changed": changed}
