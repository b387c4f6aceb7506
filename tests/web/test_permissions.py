"""Every role × action, through django-rules (the same checks the views make)."""
from __future__ import annotations

import pytest
from django.utils import timezone

from rapporteur.web.contributions.models import Contribution
from rapporteur.web.organisations import services as organisation_services
from rapporteur.web.syntheses.models import Synthesis

ROLES = ["admin", "secretariat", "moderator", "delegate", "other_delegate", "member", "public"]


def _contribution(people, session, state):
    return Contribution.objects.create(
        session=session, organisation=people.own, submitted_by=people.delegate, text="We call for regular pathways.",
        state=state, submitted_at=timezone.now(),
    )


def _synthesis(session, status):
    return Synthesis.objects.create(session=session, version=Synthesis.objects.filter(session=session).count() + 1,
                                    status=status)


def _stocktake(session, status):
    """A stocktaking of the session's phase (its document says so: ``kind: "stocktake"``)."""
    phase = session.phase
    return Synthesis.objects.create(phase=phase, version=Synthesis.objects.filter(phase=phase).count() + 1,
                                    status=status, data={"kind": "stocktake"})


def _round(people, session, open_=True):
    from rapporteur.web.rounds import services as round_services

    from .factories import make_synthesis_with_key_points

    round = round_services.open_round(session, synthesis=make_synthesis_with_key_points(session), by=people.secretariat)
    return round if open_ else round_services.close_round(round)


def _pending_statement(people, session):
    from rapporteur.web.rounds.models import Statement

    return Statement.objects.create(round=_round(people, session), text="Cities need a seat at the table.",
                                    origin="participant", state="pending")


def _draft(session, published: bool):
    from rapporteur.web.drafts.models import DraftVersion

    process = session.phase.process
    return DraftVersion.objects.create(process=process, number=DraftVersion.objects.filter(process=process).count() + 1,
                                       title="Zero draft", dated="2018-02-05", file_name="zero.txt", text="1. a\n\n2. b",
                                       split="numbered paragraphs", status="ready",
                                       published_at=timezone.now() if published else None)


# action: (permission, object builder, roles allowed)
ACTIONS = {
    "view a process": ("processes.view_process", lambda p, s: s.phase.process, set(ROLES)),
    "view a session": ("processes.view_session", lambda p, s: s, set(ROLES)),
    "change a session's status": ("processes.change_session_status", lambda p, s: s, {"admin", "secretariat"}),
    "edit a process": ("processes.change_process", lambda p, s: s.phase.process, {"admin", "secretariat"}),
    "request accreditation for own organisation": (
        "organisations.request_accreditation", lambda p, s: p.own, {"admin", "delegate"}),
    "read the audit log": ("audit.view_auditentry", lambda p, s: None, {"admin", "secretariat"}),
    "export the audit log": ("audit.export_auditentry", lambda p, s: None, {"admin", "secretariat"}),
    "see the accreditation queue": ("organisations.view_accreditation_queue", lambda p, s: None, {"admin", "secretariat"}),
    "decide an accreditation request": (
        "organisations.decide_accreditation",
        lambda p, s: organisation_services.request_accreditation(p.own, "We represent migrants."),
        {"admin", "secretariat"}),
    "add a delegate": ("organisations.add_delegate", lambda p, s: p.own, {"admin", "secretariat"}),
    "set an organisation's ECOSOC status": (
        "organisations.set_ecosoc_status", lambda p, s: p.own, {"admin", "secretariat"}),
    "submit to an open session": ("contributions.add_contribution", lambda p, s: s, {"admin", "delegate", "other_delegate"}),
    "see a draft": ("contributions.view_contribution", lambda p, s: _contribution(p, s, "draft"), {"admin", "delegate"}),
    "see a submitted contribution": (
        "contributions.view_contribution", lambda p, s: _contribution(p, s, "submitted"),
        {"admin", "secretariat", "moderator", "delegate"}),
    "see a published contribution": ("contributions.view_contribution", lambda p, s: _contribution(p, s, "published"), set(ROLES)),
    "edit a draft": ("contributions.change_contribution", lambda p, s: _contribution(p, s, "draft"), {"admin", "delegate"}),
    "edit a submitted contribution": (
        "contributions.change_contribution", lambda p, s: _contribution(p, s, "submitted"), {"admin", "delegate"}),
    "edit a published contribution": (
        "contributions.change_contribution", lambda p, s: _contribution(p, s, "published"), {"admin"}),
    "see the moderation queue": ("contributions.view_moderation_queue", lambda p, s: None, {"admin", "secretariat", "moderator"}),
    "moderate a contribution": (
        "contributions.moderate_contribution", lambda p, s: _contribution(p, s, "submitted"),
        {"admin", "secretariat", "moderator"}),
    "import contributions": ("contributions.import_contributions", lambda p, s: s, {"admin", "secretariat"}),
    "run a synthesis": ("syntheses.run_synthesis", lambda p, s: s, {"admin", "secretariat"}),
    "see a draft synthesis": ("syntheses.view_synthesis", lambda p, s: _synthesis(s, "draft"), {"admin", "secretariat"}),
    "see a running synthesis": ("syntheses.view_synthesis", lambda p, s: _synthesis(s, "running"), {"admin", "secretariat"}),
    "see a published synthesis": ("syntheses.view_synthesis", lambda p, s: _synthesis(s, "published"), set(ROLES)),
    "publish a draft synthesis": ("syntheses.publish_synthesis", lambda p, s: _synthesis(s, "draft"), {"admin", "secretariat"}),
    "edit a draft stocktaking's assessment": (
        "syntheses.edit_assessment", lambda p, s: _stocktake(s, "draft"), {"admin", "secretariat"}),
    "edit a published stocktaking's assessment": (
        "syntheses.edit_assessment", lambda p, s: _stocktake(s, "published"), {"admin"}),
    "edit the assessment of a session's synthesis": (
        "syntheses.edit_assessment", lambda p, s: _synthesis(s, "draft"), {"admin"}),
    "run a stocktaking of a process": ("syntheses.run_synthesis", lambda p, s: s.phase.process, {"admin", "secretariat"}),
    "use the delegate dashboard": ("dashboards.view_delegate_dashboard", lambda p, s: None, {"admin", "delegate", "other_delegate"}),
    "use the secretariat dashboard": ("dashboards.view_secretariat_dashboard", lambda p, s: None, {"admin", "secretariat"}),
    "see a rating round and its dashboard": ("rounds.view_round", lambda p, s: _round(p, s), set(ROLES)),
    "see groups too small to show publicly": (
        "rounds.view_small_groups", lambda p, s: _round(p, s), {"admin", "secretariat"}),
    "open a rating round": ("rounds.open_round", lambda p, s: s, {"admin", "secretariat"}),
    "close or reopen a rating round": ("rounds.close_round", lambda p, s: _round(p, s), {"admin", "secretariat"}),
    "vote in an open round": ("rounds.vote", lambda p, s: _round(p, s), {"admin", "other_delegate"}),
    "vote in a closed round": ("rounds.vote", lambda p, s: _round(p, s, open_=False), {"admin"}),
    "add a statement to an open round": ("rounds.add_statement", lambda p, s: _round(p, s), {"admin", "other_delegate"}),
    "moderate an added statement": (
        "rounds.moderate_statement", _pending_statement, {"admin", "secretariat", "moderator"}),
    "import a Pol.is conversation": ("rounds.import_round", lambda p, s: s, {"admin", "secretariat"}),
    "export votes with organisations": (
        "rounds.export_identified_votes", lambda p, s: _round(p, s), {"admin", "secretariat"}),
    "add a round's results to the synthesis": (
        "rounds.add_results_to_synthesis", lambda p, s: _round(p, s), {"admin", "secretariat"}),
    "upload a draft of the outcome document": (
        "drafts.add_draftversion", lambda p, s: s.phase.process, {"admin", "secretariat"}),
    "see an unpublished draft": ("drafts.view_draftversion", lambda p, s: _draft(s, False), {"admin", "secretariat"}),
    "see a published draft": ("drafts.view_draftversion", lambda p, s: _draft(s, True), set(ROLES)),
    "publish a draft": ("drafts.publish_draftversion", lambda p, s: _draft(s, False), {"admin", "secretariat"}),
    "publish a published draft again": ("drafts.publish_draftversion", lambda p, s: _draft(s, True), {"admin"}),
    "export a session's contributions and points": ("exports.export_session", lambda p, s: s, set(ROLES)),
    "export a round's anonymous votes": ("exports.export_round", lambda p, s: _round(p, s), set(ROLES)),
    "make an API token": ("api.add_apitoken", lambda p, s: None, {"admin", "delegate", "other_delegate"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_may_or_may_not(action, role, people, session):
    perm, build, allowed = ACTIONS[action]
    obj = build(people, session)
    user = getattr(people, role)
    assert user.has_perm(perm, obj) is (role in allowed), f"{role} / {action}"


def test_editing_closes_with_the_deadline(people, session):
    draft = _contribution(people, session, "draft")
    assert people.delegate.has_perm("contributions.change_contribution", draft)
    session.contributions_deadline = timezone.now() - timezone.timedelta(minutes=1)
    session.save()
    draft.refresh_from_db()
    assert not people.delegate.has_perm("contributions.change_contribution", draft)
    assert not people.delegate.has_perm("contributions.add_contribution", session)


def test_no_submission_to_a_session_that_is_not_open(people, gcm):
    from rapporteur.web.processes.models import Session

    upcoming = Session.objects.filter(phase__process=gcm, status="upcoming").first()
    assert not people.delegate.has_perm("contributions.add_contribution", upcoming)


def test_a_rejected_organisation_may_ask_again_but_not_twice_at_once(people):
    organisation_services.request_accreditation(people.own, "first")
    people.own.refresh_from_db()
    assert not people.delegate.has_perm("organisations.request_accreditation", people.own)
    organisation_services.decide_accreditation(people.own, approve=False, reason="no link to migration", by=people.secretariat)
    people.own.refresh_from_db()
    assert people.delegate.has_perm("organisations.request_accreditation", people.own)
