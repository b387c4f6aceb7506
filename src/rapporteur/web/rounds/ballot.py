"""A delegate's ballot: what the two requests a voter makes again and again (the next statement, a
vote) need to know about a round, read in **one plain SQL query** (with the API token's user, too:
``api.voting``).

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
from dataclasses import dataclass, field

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
    # statement pk → (text, origin, key point, context); only with counts=True
    texts: dict[int, tuple[str, str, str, str]] = field(default_factory=dict)

    def statement_pk(self, number: int) -> int | None:
        return next((pk for pk, n in self.numbers.items() if n == number), None)

    def progress(self) -> tuple[int, int]:
        """(statements the participant voted on, accepted statements)."""
        return progress(None, None, self.rating_state)


BALLOT_COLUMNS = 11  # the columns ballot_sql adds to those of its source (round 2, participant 1, statement 8)


def ballot_sql(source: str, *, mine: bool) -> str:
    """The ballot's query: one row per statement of the round in pk order (one row with NULL
    statement columns when it has none, with NULL round columns when there is no such round).

    ``source`` is a one-row query aliased ``viewer`` whose ``id`` column is the user's id: a parameter
    (``ballot``) or the user of an API token (``api.voting``, so a vote's token and ballot are one
    query). Its parameters come first, then the round id. ``mine``: also which statements the
    user voted on (an index probe per statement) and the statements' texts, for the next statement.
    """
    q = connection.ops.quote_name
    rounds, statements = q(Round._meta.db_table), q(Statement._meta.db_table)
    participants, votes = q(Participant._meta.db_table), q(Vote._meta.db_table)
    voted = (f"EXISTS (SELECT 1 FROM {votes} v WHERE v.{q('participant_id')} = p.{q('id')} "
             f"AND v.{q('statement_id')} = s.{q('id')})") if mine else "0"
    texts = ", ".join(f"s.{q(c)}" for c in ("text", "origin", "key_point", "context")) if mine else "'', '', '', ''"
    return (f"SELECT viewer.*, r.{q('id')}, r.{q('status')}, p.{q('id')}, s.{q('id')}, s.{q('external_id')}, "
            f"s.{q('state')}, {voted}, {texts} "
            f"FROM {source} LEFT JOIN {rounds} r ON r.{q('id')} = %s "
            f"LEFT JOIN {participants} p ON p.{q('round_id')} = r.{q('id')} AND p.{q('user_id')} = viewer.{q('id')} "
            f"LEFT JOIN {statements} s ON s.{q('round_id')} = r.{q('id')} ORDER BY s.{q('id')}")


def read_ballot(round_id: int, rows: list[tuple], *, counts: bool) -> Ballot | None:
    """The ballot from the rows of ``ballot_sql`` (their last ``BALLOT_COLUMNS`` columns); None when
    there is no such round."""
    rows = [row[-BALLOT_COLUMNS:] for row in rows]
    if not rows or rows[0][0] is None:
        return None
    status, participant_id = rows[0][1], rows[0][2]
    statements = [row[3:] for row in rows if row[3] is not None]
    n = vote_counts(round_id) if counts else {}
    return Ballot(
        round_id=round_id,
        is_open=status == Round.Status.OPEN,
        participant_id=participant_id,
        numbers=number_rows([(pk, ext) for pk, ext, *_ in statements]),
        states={pk: state for pk, _e, state, *_ in statements},
        rating_state=[(pk, n.get(pk, 0), bool(mine)) for pk, _e, state, mine, *_ in statements if state == ACCEPTED]
        if counts else [],
        texts={pk: tuple(text) for pk, _e, _s, _m, *text in statements} if counts else {},
    )


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

    ``counts``: also which accepted statements the user voted on, the votes on each
    (``vote_counts``), what the next statement is chosen by, and the statements' texts.
    """
    with prepared_cursor() as cursor:
        cursor.execute(ballot_sql(f"(SELECT CAST(%s AS BIGINT) AS {connection.ops.quote_name('id')}) viewer", mine=counts),
                       [user_id, round_id])
        return read_ballot(round_id, cursor.fetchall(), counts=counts)
