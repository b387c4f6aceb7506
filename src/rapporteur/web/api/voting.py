"""What the API answers a voter: the two token requests a delegate repeats in a rating round, the
next statement to rate and a vote on it, as ``(HTTP status, JSON body)``.

Both the django-ninja operations (``api.next_statement``, ``api.vote``, which document them in the
OpenAPI schema) and the voting lane (``web.lane``, which answers them under load without Django's
request cycle) come here, so the two give the same answer to the same request. The operations
check the token first (``TokenAuth``), then read the ballot (``rounds.ballot.ballot``); the lane reads the token's user and
the ballot in one query (``token_ballot``): one round trip to the database fewer on every request,
which on a busy machine is also one wait fewer for the database's turn on a core.
"""
from __future__ import annotations

from rapporteur.web.core.db import prepared_cursor
from rapporteur.web.rounds import selectors as round_selectors
from rapporteur.web.rounds import services as round_services
from rapporteur.web.rounds.ballot import Ballot, ballot_sql, read_ballot
from rapporteur.web.rounds.models import Statement
from rapporteur.web.rounds.rules import is_accredited_delegate

from .models import digest
from .selectors import token_user_from, token_user_sql, user_for_token

MAX_TOKEN_CHARS = 200
NOT_A_PARTICIPANT = {"detail": "Only delegates of accredited organisations take part in rating rounds.",
                     "code": "not_a_participant"}


def _plausible(token: str) -> bool:
    return bool(token) and len(token) <= MAX_TOKEN_CHARS


def token_user(token: str):
    """The active user of a live API token, or None (one query, with whether they may vote)."""
    user = user_for_token(token) if _plausible(token) else None
    return user if user is not None and user.is_active else None


def token_ballot(token: str, round_id: int, *, counts: bool) -> tuple[object, Ballot | None] | None:
    """(the active user of a live API token, their ballot of the round or None for no such round) in
    one query; None when the token is not one (``token_user``'s rule)."""
    if not _plausible(token):
        return None
    with prepared_cursor() as cursor:
        cursor.execute(ballot_sql(f"({token_user_sql()}) viewer", mine=counts), [digest(token), round_id])
        rows = cursor.fetchall()
    if not rows:
        return None
    user = token_user_from(rows[0])
    if not user.is_active:
        return None
    return user, read_ballot(round_id, rows, counts=counts)


def statement_out(s: Statement) -> dict:
    """A statement as the API shows it (``StatementOut``); ``s.number``: its id in the round
    (``rounds.selectors.numbered``)."""
    return {"id": s.number, "text": s.text, "origin": s.origin, "key_point": s.key_point, "context": s.context}


def next_answer(user, round_id: int, seen: Ballot | None) -> tuple[int, dict]:
    """The least-voted statement the user has not rated yet, with their progress (``NextStatement``);
    ``seen``: the user's ballot of the round read with counts, None for no such round."""
    if seen is None:
        return 404, {"detail": "No such round.", "code": "not_found"}
    if not user.has_perm("rounds.vote", seen):  # the rule reads the ballot's is_open as a round's
        if not seen.is_open:
            return 409, {"detail": f"Round {round_id} is closed: votes are no longer taken.", "code": "round_closed"}
        return 403, dict(NOT_A_PARTICIPANT)
    pk = round_selectors.choose_next(seen.rating_state, user.pk)
    done, total = seen.progress()
    statement = None
    if pk is not None:
        text, origin, key_point, context = seen.texts[pk]
        statement = Statement(pk=pk, text=text, origin=origin, key_point=key_point, context=context)
        statement.number = seen.numbers[pk]
    return 200, {"round": round_id, "done": done, "total": total,
                 "statement": statement_out(statement) if statement is not None else None}


def vote_answer(user, round_id: int, number: int, vote: str, seen: Ballot | None) -> tuple[int, dict]:
    """Record the user's vote on the statement with ``number``: 201 when it changed something, 200 when
    it repeats their current vote (``VoteOut``), or the refusal; ``seen``: the user's ballot of the round
    (``rounds.ballot``), None for no such round."""
    if not is_accredited_delegate(user):
        return 403, dict(NOT_A_PARTICIPANT)
    try:
        changed = round_services.vote_on_ballot(seen, round_id=round_id, number=number, user=user, value=vote)
    except round_services.VoteRefused as refused:
        return refused.status, {"detail": refused.message, "code": refused.code}
    return (201 if changed else 200), {"round": round_id, "statement": number, "vote": vote, "changed": changed}
