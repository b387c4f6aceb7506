"""A delegate's ballot: what the two requests a voter makes again and again (the next statement, a
vote) need to know about a round, read in **one plain SQL query**.

Under load a voter asks for its next statement and votes, over and over. Through the ORM these two
requests took 11 queries and about 10 ms of CPU, most of it spent building the SQL rather than
running it (``cProfile`` of ``/api/v1/rounds/R/next`` + ``…/vote``: query compilation 3.9 s of 11.7 s,
the database's answers 2.4 s). Here the round's status, the user's participant and every statement
of the round — its state, its Pol.is-style number and, for the next statement, its vote counts —
come back as rows of one query (the votes per statement are counted at most once a second per
process, ``vote_counts``), and the rules applied to them are the ones the rest of the site
uses: ``selectors.number_rows`` numbers the statements, ``selectors.choose_next`` picks the next one,
``services.refuse_unless_votable`` says why a vote cannot be taken.

The site's own forms (one vote per page load) keep the ORM path, ``services.cast_vote``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from rapporteur.web.core.db import prepared_cursor

from .models import Participant, Round, Statement, Vote
from .selectors import number_rows, progress

ACCEPTED = Statement.State.ACCEPTED


@dataclass
class Ballot:
    round_id: int
    is_open: bool
    participant_id: int | None  # None until the user's first vote in the round
    numbers: dict[int, int]  # statement pk → its number in the round
    states: dict[int, str]  # statement pk → its state
    # (statement pk, votes on it, voted by this participant) for each accepted statement; only with counts=True
    rating_state: list[tuple[int, int, bool]]

    def statement_pk(self, number: int) -> int | None:
        return next((pk for pk, n in self.numbers.items() if n == number), None)

    def progress(self) -> tuple[int, int]:
        """(statements the participant voted on, accepted statements)."""
        return progress(None, None, self.rating_state)


def _sql(mine: bool) -> str:
    q = connection.ops.quote_name
    rounds, statements = q(Round._meta.db_table), q(Statement._meta.db_table)
    participants, votes = q(Participant._meta.db_table), q(Vote._meta.db_table)
    # the round first (its row stands even when it has no statement), then its statements in pk order;
    # "mine" reads the (participant, statement) unique index, one probe per statement
    voted = (f"EXISTS (SELECT 1 FROM {votes} v WHERE v.{q('participant_id')} = p.{q('id')} "
             f"AND v.{q('statement_id')} = s.{q('id')})") if mine else "0"
    return (f"SELECT r.{q('status')}, p.{q('id')}, s.{q('id')}, s.{q('external_id')}, s.{q('state')}, {voted} "
            f"FROM {rounds} r LEFT JOIN {participants} p ON p.{q('round_id')} = r.{q('id')} AND p.{q('user_id')} = %s "
            f"LEFT JOIN {statements} s ON s.{q('round_id')} = r.{q('id')} WHERE r.{q('id')} = %s ORDER BY s.{q('id')}")


# round id → (when read, statement pk → votes on it); per server process
_counts: dict[int, tuple[float, dict[int, int]]] = {}


def vote_counts(round_id: int) -> dict[int, int]:
    """Votes per statement of the round, read at most ``RAPPORTEUR_ROUND_COUNTS_SECONDS`` ago (1 s).

    Counting every vote of the round on every request for the next statement cost the database
    more than everything else a voter does, and grows with the round; the least-voted statement
    chosen from counts a second old spreads votes just as evenly.
    """
    max_age = float(getattr(settings, "RAPPORTEUR_ROUND_COUNTS_SECONDS", 1.0))
    now = time.monotonic()
    cached = _counts.get(round_id)
    if cached is not None and now - cached[0] < max_age:
        return cached[1]
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {q('statement_id')}, COUNT(*) FROM {q(Vote._meta.db_table)} WHERE {q('round_id')} = %s "
                       f"GROUP BY {q('statement_id')}", [round_id])
        counts = dict(cursor.fetchall())
    _counts[round_id] = (now, counts)
    return counts


def ballot(round_id: int, user_id: int, *, counts: bool = False) -> Ballot | None:
    """The round as the user's ballot sees it, or None when there is no such round.

    ``counts``: also which accepted statements the user voted on and the votes on each
    (``vote_counts``), what the next statement is chosen by.
    """
    with prepared_cursor() as cursor:
        cursor.execute(_sql(mine=counts), [user_id, round_id])
        rows = cursor.fetchall()
    if not rows:
        return None
    status, participant_id = rows[0][0], rows[0][1]
    statements = [row for row in rows if row[2] is not None]
    n = vote_counts(round_id) if counts else {}
    return Ballot(
        round_id=round_id,
        is_open=status == Round.Status.OPEN,
        participant_id=participant_id,
        numbers=number_rows([(pk, ext) for _s, _p, pk, ext, _st, _m in statements]),
        states={pk: state for _s, _p, pk, _e, state, _m in statements},
        rating_state=[(pk, n.get(pk, 0), bool(mine)) for _s, _p, pk, _e, state, mine in statements if state == ACCEPTED]
        if counts else [],
    )
