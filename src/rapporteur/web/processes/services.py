"""Writes to processes and sessions."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from rapporteur.web.audit import services as audit

from .models import Session

# Which status a session may move to from each status, by hand. "published" is set only by
# publishing a synthesis of the session (rapporteur.web.syntheses.services.publish_synthesis).
_ALLOWED = {
    Session.Status.UPCOMING: {Session.Status.OPEN},
    Session.Status.OPEN: {Session.Status.CLOSED, Session.Status.UPCOMING},
    Session.Status.CLOSED: {Session.Status.OPEN},
    Session.Status.PUBLISHED: {Session.Status.OPEN},
}


def allowed_statuses(session: Session) -> list[Session.Status]:
    return sorted(_ALLOWED[Session.Status(session.status)], key=list(Session.Status).index)


def set_session_status(session: Session, status: str) -> Session:
    try:
        target = Session.Status(status)
    except ValueError:
        raise ValidationError(f"unknown session status {status!r}") from None
    if target not in _ALLOWED[Session.Status(session.status)]:
        raise ValidationError(
            gettext("A session that is %(status)s cannot become %(target)s.") % {
                "status": session.get_status_display(), "target": target.label}
        )
    session.status = target
    session.save(update_fields=["status"])
    return session


def mark_synthesis_published(session: Session) -> None:
    session.status = Session.Status.PUBLISHED
    session.save(update_fields=["status"])


def set_deadline(session: Session, deadline) -> Session:
    session.contributions_deadline = deadline
    session.save(update_fields=["contributions_deadline"])
    return session


_STATUS_ACTS = {Session.Status.OPEN: "open_session", Session.Status.CLOSED: "close_session"}


@transaction.atomic
def change_status(session: Session, status: str, deadline, *, by=None) -> Session:
    """The secretariat's status change, with the deadline for contributions, in one step (one act in
    the audit log: open, close, or another status).

    A session is not opened with a deadline that has passed: delegates could not contribute to
    it. The secretariat moves the deadline (or clears it) in the same form."""
    if status == Session.Status.OPEN and deadline is not None and deadline <= timezone.now():
        when = timezone.localtime(deadline)
        raise ValidationError(
            gettext("The deadline for contributions, %(when)s, has passed: set a later deadline (or clear it) "
                    "to open %(title)s.") % {"when": date_format(when, "j F Y, H:i T"), "title": session.title}
        )
    before = {"status": session.status, "deadline": session.contributions_deadline}
    set_session_status(session, status)
    set_deadline(session, deadline)
    audit.record(by, _STATUS_ACTS.get(session.status, audit.Act.SET_SESSION_STATUS), session, before=before,
                 after={"status": session.status, "deadline": session.contributions_deadline})
    return session
