"""Writes to rating rounds: open and close a round, vote, add and moderate statements, import Pol.is.

**A vote** is one upsert and, when it changed something, one history row, in one transaction::

    INSERT INTO vote (…) VALUES (…)
    ON CONFLICT (participant, statement) DO UPDATE SET value = excluded.value, updated_at = …
    WHERE vote.value <> excluded.value
    RETURNING id

The row returned tells whether the vote changed; only then is a ``VoteEvent`` written (on
PostgreSQL both in one statement, ``WITH changed AS (upsert … RETURNING …) INSERT INTO event
SELECT … FROM changed``; on SQLite two statements in one transaction). So a
double submit (the same vote twice, even concurrently) stores one vote and one event; a changed
vote replaces the current one and adds an event. Nothing else happens per vote: the analysis
is refreshed by the worker (see ``request_refresh``).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext

from rapporteur.web.audit import services as audit
from rapporteur.web.core.db import prepared_cursor
from rapporteur.web.organisations.models import Organisation
from rapporteur.web.processes.models import Session

from .models import (
    AGREE,
    DISAGREE,
    PASS,
    VOTE_VALUES,
    Participant,
    Round,
    RoundAnalysis,
    Statement,
    Vote,
    VoteEvent,
)

log = logging.getLogger("rapporteur.web.rounds")
ST = Statement.State

MAX_STATEMENT_CHARS = 400
# The refresh rule of the dashboard's analysis (see request_refresh).
REFRESH_MIN_SECONDS = 2
REFRESH_RETRY_SECONDS = 30


class VoteRefused(Exception):
    """A vote (or a statement) that cannot be taken; ``status`` is the HTTP answer to give."""

    def __init__(self, message: str, status: int = 400, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


@dataclass
class VoteOutcome:
    statement: Statement
    participant: Participant
    value: int
    changed: bool  # False for a repeat of the participant's current vote


def parse_vote(value) -> int:
    """``agree``/``disagree``/``pass`` or 1/-1/0 (as text or number) → 1/-1/0."""
    if isinstance(value, str):
        key = value.strip().lower()
        if key in VOTE_VALUES:
            return VOTE_VALUES[key]
        try:
            value = int(key)
        except ValueError:
            raise VoteRefused(gettext("A vote is agree, disagree or pass, not %(value)r.") % {"value": value}, 422,
                              "bad_vote") from None
    if value in (AGREE, DISAGREE, PASS) and not isinstance(value, bool):
        return int(value)
    raise VoteRefused(gettext("A vote is agree, disagree or pass, not %(value)r.") % {"value": value}, 422, "bad_vote")


# ------------------------------------------------------------------------------ participants
def delegation_for_rounds(user) -> Organisation | None:
    """The organisation a user votes for: their first accredited organisation (oldest delegation)."""
    if not getattr(user, "is_authenticated", False):
        return None
    accredited = Q(delegates__user=user) & Q(accreditation__in=Organisation.ACCREDITED)
    return Organisation.objects.filter(accredited).order_by("delegates__pk").first()


def participant_for(round: Round, user) -> Participant:
    """The user's participant in the round, made at their first vote or statement.

    Only delegates of accredited organisations take part; region and type come from the organisation.
    """
    participant = Participant.objects.filter(round=round, user=user).first()
    if participant is not None:
        return participant
    organisation = delegation_for_rounds(user)
    if organisation is None:
        raise VoteRefused(gettext("Only delegates of accredited organisations take part in rating rounds."), 403, "not_a_participant")
    try:
        with transaction.atomic():
            return Participant.objects.create(
                round=round, user=user, organisation=organisation, region=organisation.region,
                subregion=organisation.subregion, country=organisation.country, stakeholder_type=organisation.type,
            )
    except IntegrityError:  # the same user's other request made it first
        return Participant.objects.get(round=round, user=user)


# ------------------------------------------------------------------------------------ voting
def _upsert_sql() -> str:
    q = connection.ops.quote_name
    table = q(Vote._meta.db_table)
    return (
        f"INSERT INTO {table} ({q('round_id')}, {q('participant_id')}, {q('statement_id')}, {q('value')}, "
        f"{q('created_at')}, {q('updated_at')}) VALUES (%s, %s, %s, %s, %s, %s) "
        f"ON CONFLICT ({q('participant_id')}, {q('statement_id')}) DO UPDATE SET "
        f"{q('value')} = excluded.{q('value')}, {q('updated_at')} = excluded.{q('updated_at')} "
        f"WHERE {table}.{q('value')} <> excluded.{q('value')} RETURNING {q('id')}"
    )


def _upsert_with_history_sql() -> str:
    """PostgreSQL: the upsert and its history row in one statement (one round trip, atomic by itself)."""
    q = connection.ops.quote_name
    events = q(VoteEvent._meta.db_table)
    return (
        f"WITH changed AS ({_upsert_sql()}, {q('round_id')}, {q('participant_id')}, {q('statement_id')}, "
        f"{q('value')}, {q('updated_at')}) "
        f"INSERT INTO {events} ({q('round_id')}, {q('participant_id')}, {q('statement_id')}, {q('value')}, "
        f"{q('created_at')}) SELECT {q('round_id')}, {q('participant_id')}, {q('statement_id')}, {q('value')}, "
        f"{q('updated_at')} FROM changed RETURNING {q('id')}"
    )


def refuse_unless_votable(round_id: int, statement_id, *, round_found: bool, state: str | None, is_open: bool) -> None:
    """Raise the VoteRefused that says why a vote on the statement (``state`` None: no such statement
    in the round) cannot be taken; nothing when it can."""
    if state is None or state == ST.PENDING:
        if not round_found:
            raise VoteRefused(gettext("There is no round %(round)s.") % {"round": round_id}, 404, "unknown_round")
        raise VoteRefused(gettext("Round %(round)s has no statement %(statement)s.") % {
            "round": round_id, "statement": statement_id}, 404, "unknown_statement")
    if not is_open:
        raise VoteRefused(gettext("Round %(round)s is closed: votes are no longer taken.") % {"round": round_id}, 409,
                          "round_closed")
    if state == ST.REJECTED:
        raise VoteRefused(gettext("Statement %(statement)s was withdrawn by the moderators.") % {"statement": statement_id},
                          409, "statement_withdrawn")


def find_statement(round_id: int, statement_id: int) -> Statement:
    """The statement to vote on, or a VoteRefused naming what is unknown or closed."""
    statement = Statement.objects.select_related("round").filter(pk=statement_id, round_id=round_id).first()
    found = statement is not None
    refuse_unless_votable(round_id, statement_id, round_found=found or Round.objects.filter(pk=round_id).exists(),
                          state=statement.state if found else None, is_open=found and statement.round.is_open)
    return statement


def record_vote(*, round_id: int, participant_id: int, statement_id: int, value: int) -> bool:
    """The upsert and its history row (see the module docstring); True when the vote changed something."""
    now = timezone.now()
    params = [round_id, participant_id, statement_id, value, now, now]
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with prepared_cursor() as cursor:
            cursor.execute(_upsert_with_history_sql(), params)
            return cursor.fetchone() is not None
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_upsert_sql(), params)
            changed = cursor.fetchone() is not None
        if changed:
            VoteEvent.objects.create(round_id=round_id, participant_id=participant_id, statement_id=statement_id,
                                     value=value, created_at=now)
    return changed


def cast_vote(*, round_id: int, statement_id: int, user, value) -> VoteOutcome:
    """Record the user's vote; the latest vote counts, every change is kept in the history."""
    value = parse_vote(value)
    statement = find_statement(round_id, statement_id)
    participant = participant_for(statement.round, user)
    changed = record_vote(round_id=statement.round_id, participant_id=participant.pk, statement_id=statement.pk,
                          value=value)
    return VoteOutcome(statement=statement, participant=participant, value=value, changed=changed)


def vote_on_ballot(seen, *, round_id: int, number: int, user, value) -> bool:
    """The token API's vote on the statement with ``number`` in the round, checked on the user's ballot
    (``rounds.ballot``; ``seen`` None: no such round) and recorded in one more query; True when it
    changed something. Same rules as ``cast_vote``."""
    value = parse_vote(value)
    pk = seen.statement_pk(number) if seen is not None else None
    refuse_unless_votable(round_id, number, round_found=seen is not None, state=seen.states.get(pk) if seen else None,
                          is_open=seen is not None and seen.is_open)
    participant_id = seen.participant_id
    if participant_id is None:  # the user's first vote in this round
        participant_id = participant_for(Round.objects.get(pk=round_id), user).pk
    return record_vote(round_id=round_id, participant_id=participant_id, statement_id=pk, value=value)


# ------------------------------------------------------------------------------ statements
def add_statement(round: Round, *, user, text: str) -> Statement:
    """A participant's new statement: shown to others once a moderator accepts it."""
    text = " ".join((text or "").split())
    if not round.is_open:
        raise VoteRefused(gettext("This round is closed."), 409, "round_closed")
    if not round.accepts_statements:
        raise VoteRefused(gettext("This round takes no new statements."), 409, "no_statements")
    if not text:
        raise VoteRefused(gettext("Write the statement."), 422, "empty")
    if len(text) > MAX_STATEMENT_CHARS:
        raise VoteRefused(gettext("A statement has at most %(max)s characters (%(given)s given).") % {
            "max": MAX_STATEMENT_CHARS, "given": len(text)}, 422, "too_long")
    participant = participant_for(round, user)
    existing = {" ".join(t.split()).casefold() for t in round.statements.exclude(state=ST.REJECTED).values_list("text", flat=True)}
    if text.casefold() in existing:
        raise VoteRefused(gettext("This statement is already in the round."), 409, "duplicate")
    return Statement.objects.create(round=round, text=text, origin=Statement.Origin.PARTICIPANT, state=ST.PENDING,
                                    author=participant, context=f"Added by a participant ({participant.stakeholder_type})")


@transaction.atomic
def moderate_statement(statement: Statement, *, approve: bool, reason: str, by) -> Statement:
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.state != ST.PENDING:
        raise ValidationError(gettext("Only a statement awaiting moderation can be moderated."))
    if not approve and not reason.strip():
        raise ValidationError(gettext("A rejection needs a reason."))
    before = {"state": statement.state}
    statement.state = ST.ACCEPTED if approve else ST.REJECTED
    statement.moderation_reason = reason.strip()
    statement.moderated_by = by
    statement.moderated_at = timezone.now()
    statement.save()
    statements_changed(statement.round_id)
    audit.record(by, audit.Act.ACCEPT_STATEMENT if approve else audit.Act.REJECT_STATEMENT, statement,
                 before=before, after={"state": statement.state}, reason=statement.moderation_reason)
    return statement


def statements_changed(round_id: int) -> None:
    RoundAnalysis.objects.filter(round_id=round_id).update(statements_version=F("statements_version") + 1)


# ------------------------------------------------------------------------------------ rounds
def key_points_to_rate(data: dict, max_key_points: int = 30, min_stakeholders: int = 2) -> list[tuple[dict, str]]:
    """The key points a round puts to the vote, with the context line shown under each.

    Convergence items first, then divergence items, then the other key points raised by at least
    ``min_stakeholders`` stakeholders, most raised first; at most ``max_key_points``.
    """
    key_points = {kp["id"]: kp for kp in data.get("key_points", [])}
    chosen: dict[str, str] = {}
    for item in data.get("convergence", []):
        chosen.setdefault(item["key_point"], f"area of convergence {item['number']}")
    for item in data.get("divergence", []):
        if item.get("key_point"):  # an unaddressed matter has no key point to rate
            chosen.setdefault(item["key_point"], f"area of divergence {item['number']}")
    others = sorted((kp for kp in key_points.values() if kp["id"] not in chosen and kp["n_stakeholders"] >= min_stakeholders),
                    key=lambda kp: (-kp["n_stakeholders"], -kp["n_points"], kp["id"]))
    for kp in others:
        chosen.setdefault(kp["id"], "")
    out = []
    for kp_id, where in list(chosen.items())[:max_key_points]:
        kp = key_points.get(kp_id)
        if kp is None:
            continue
        context = f"Key point {kp_id} · raised by {kp['n_stakeholders']} stakeholder{'s' if kp['n_stakeholders'] != 1 else ''}"
        if kp.get("regions"):
            context += f" from {len(kp['regions'])} region{'s' if len(kp['regions']) != 1 else ''}"
        if where:
            context += f" · {where}"
        out.append((kp, context))
    return out


def _check_no_open_round(session: Session, exclude: Round | None = None) -> None:
    others = Round.objects.filter(session=session, status=Round.Status.OPEN)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise ValidationError(gettext("This session already has an open round: close it first."))


def open_round(session: Session, *, synthesis, by, title: str = "", accepts_statements: bool = True,
               max_key_points: int = 30) -> Round:
    """Open a round on a session with the key points of one of its syntheses (a draft or published one)."""
    if synthesis.session_id != session.pk:
        raise ValidationError(gettext("That synthesis is not of this session."))
    if synthesis.status not in ("draft", "published") or not synthesis.data:
        raise ValidationError(gettext("Only a finished synthesis (a draft or a published version) can be put to the vote."))
    chosen = key_points_to_rate(synthesis.data, max_key_points=max_key_points)
    if not chosen:
        raise ValidationError(gettext("That synthesis has no key point to put to the vote."))
    with transaction.atomic():
        Session.objects.select_for_update().get(pk=session.pk)
        _check_no_open_round(session)
        round = Round.objects.create(
            session=session, source_synthesis=synthesis, created_by=by, accepts_statements=accepts_statements,
            title=title.strip() or f"Rating of the synthesis of {session.title} (version {synthesis.version})",
        )
        Statement.objects.bulk_create([
            Statement(round=round, text=kp["label"], origin=Statement.Origin.KEY_POINT, state=ST.ACCEPTED,
                      key_point=kp["id"], context=context[:300])
            for kp, context in chosen
        ])
        RoundAnalysis.objects.create(round=round)
        audit.record(by, audit.Act.OPEN_ROUND, round, after={
            "status": round.status, "synthesis_version": synthesis.version, "statements": len(chosen),
            "accepts_statements": accepts_statements})
    return round


def close_round(round: Round, *, by=None) -> Round:
    """Close an open round (one act in the audit log); a closed round stays as it is."""
    with transaction.atomic():
        closed = Round.objects.filter(pk=round.pk, status=Round.Status.OPEN).update(
            status=Round.Status.CLOSED, closed_at=timezone.now())
        round.refresh_from_db()
        if closed:
            audit.record(by, audit.Act.CLOSE_ROUND, round, before={"status": Round.Status.OPEN},
                         after={"status": round.status})
    return round


def reopen_round(round: Round, *, by=None) -> Round:
    if round.imported_from:
        raise ValidationError(gettext("An imported round stays closed."))
    with transaction.atomic():
        Session.objects.select_for_update().get(pk=round.session_id)
        _check_no_open_round(round.session, exclude=round)
        reopened = Round.objects.filter(pk=round.pk, status=Round.Status.CLOSED).update(
            status=Round.Status.OPEN, closed_at=None)
        round.refresh_from_db()
        if reopened:
            audit.record(by, audit.Act.REOPEN_ROUND, round, before={"status": Round.Status.CLOSED},
                         after={"status": round.status})
    return round


# --------------------------------------------------------------------------------- analysis
def request_refresh(round: Round) -> bool:
    """Ask the worker to analyse the round again, if needed and not too often. Returns True if asked.

    The rule: the analysis is **stale** when the round has a vote event newer than the one the
    analysis includes, or its statements changed since. A stale analysis is recomputed by the
    worker (task ``refresh_round_analysis``), asked for by whoever reads the dashboard, **at most
    once every ``REFRESH_MIN_SECONDS`` (2 s)** and never while a request is pending (a pending
    request older than ``REFRESH_RETRY_SECONDS``, 30 s, is taken as lost and asked again). The
    claim is a conditional UPDATE, so concurrent readers enqueue one task. Votes never wait for it.
    """
    from .tasks import refresh_round_analysis

    analysis, _ = RoundAnalysis.objects.get_or_create(round=round)
    latest = VoteEvent.objects.filter(round=round).aggregate(m=Max("id"))["m"] or 0
    stale = latest > analysis.last_event or analysis.statements_version > analysis.analysed_version
    if not stale:
        return False
    now = timezone.now()
    requested = analysis.requested_at
    pending = requested is not None and (analysis.computed_at is None or requested > analysis.computed_at)
    if pending and now - requested < timedelta(seconds=REFRESH_RETRY_SECONDS):
        return False
    if requested is not None and now - requested < timedelta(seconds=REFRESH_MIN_SECONDS):
        return False
    claimed = RoundAnalysis.objects.filter(round=round, requested_at=requested).update(requested_at=now)
    if not claimed:
        return False
    refresh_round_analysis.enqueue(round.pk)
    return True


def analyse_round(round: Round) -> dict:
    """The vote engine's analysis of the round's current votes, once per known-group attribute
    (``rapporteur.votes.analyse_by``): ``{"region": ..., "type": ...}``, or ``{}`` without votes."""
    from rapporteur.votes import analyse_by

    from . import selectors

    return analyse_by(selectors.conversation(round), selectors.GROUP_ATTRIBUTES, seed=0)


def refresh_analysis(round_id: int) -> dict | None:
    """Analyse the round's current votes with the vote engine and keep the result (run by the worker)."""
    round = Round.objects.get(pk=round_id)
    analysis, _ = RoundAnalysis.objects.get_or_create(round=round)
    version = analysis.statements_version
    latest = VoteEvent.objects.filter(round=round).aggregate(m=Max("id"))["m"] or 0  # read before the votes
    started = time.monotonic()
    error = ""
    try:
        data = analyse_round(round) or None
    except Exception as err:  # the dashboard shows the error; the votes are untouched
        log.exception("analysis of round %s failed", round_id)
        data, error = analysis.data, f"{type(err).__name__}: {err}"
    RoundAnalysis.objects.filter(round=round).update(
        data=data, last_event=latest, analysed_version=version, computed_at=timezone.now(),
        duration_ms=int(1000 * (time.monotonic() - started)), error=error[:2000],
    )
    return data


# ------------------------------------------------------------------------------------ import
def import_conversation(session: Session, path: str | Path, *, participants_csv: str | Path | None = None,
                        by=None, title: str = "") -> tuple[Round, list[str]]:
    """A Pol.is export (or our plain votes format) as a closed round of the session.

    Read by the vote engine's readers (``rapporteur.votes.read_conversation``): the latest vote of
    each participant on each statement is imported (the history before the import stays in the
    export's own votes.csv); moderated-out and meta statements are imported as rejected. Returns
    the round and the problems the reader reported. Raises ValidationError when nothing is usable.
    """
    from rapporteur.votes import VoteInputError, read_conversation

    try:
        conv = read_conversation(path, participants_csv)
    except VoteInputError as err:
        raise ValidationError(str(err)) from None
    problems = [str(p) for p in conv.problems]
    now = timezone.now()
    attrs = conv.attributes
    with transaction.atomic():
        round = Round.objects.create(
            session=session, title=(title.strip() or conv.title or Path(path).name)[:300], status=Round.Status.CLOSED,
            accepts_statements=False, imported_from=Path(path).name[:300], created_by=by, closed_at=now,
            description=conv.attribution or "",
        )
        statements = Statement.objects.bulk_create([
            Statement(round=round, text=text, origin=Statement.Origin.IMPORTED, external_id=str(sid)[:100],
                      state=ST.REJECTED if out else ST.ACCEPTED,
                      moderation_reason=("meta statement" if meta else "moderated out") if out else "")
            for sid, text, out, meta in zip(conv.statement_ids, conv.statement_texts, conv.moderated_out, conv.is_meta)
        ], batch_size=1000)

        def attr(name, i):
            column = attrs.get(name)
            value = column[i] if column is not None else None
            return "" if value is None else str(value)[:100]

        participants = Participant.objects.bulk_create([
            Participant(round=round, external_id=str(pid)[:100], region=attr("region", i), subregion=attr("subregion", i),
                        country=attr("country", i), stakeholder_type=attr("type", i)[:40])
            for i, pid in enumerate(conv.participant_ids)
        ], batch_size=1000)
        rows = conv.entry_rows
        votes, events = [], []
        for r, j, v in zip(rows.tolist(), conv.indices.tolist(), conv.values.tolist()):
            p, s = participants[r], statements[j]
            votes.append(Vote(round=round, participant=p, statement=s, value=v, created_at=now, updated_at=now))
            events.append(VoteEvent(round=round, participant=p, statement=s, value=v, created_at=now))
        Vote.objects.bulk_create(votes, batch_size=2000)
        VoteEvent.objects.bulk_create(events, batch_size=2000)
        RoundAnalysis.objects.create(round=round)
        audit.record(by, audit.Act.IMPORT_ROUND, round, actor_name="command line", after={
            "status": round.status, "source": round.imported_from, "statements": len(statements),
            "participants": len(participants), "votes": len(votes)})
    return round, problems
