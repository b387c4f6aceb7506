"""Writes to contributions: submission by delegates, moderation, bulk import."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from rapporteur.web.audit import services as audit
from rapporteur.web.core.uploads import CheckedDocument
from rapporteur.web.organisations import services as organisation_services
from rapporteur.web.organisations.models import Organisation
from rapporteur.web.processes.models import Session

from .models import Contribution

S = Contribution.State


def _check_delegate(user, organisation: Organisation) -> None:
    if not organisation.delegates.filter(user=user).exists():
        raise PermissionDenied("You may act only for your own organisation.")


def _check_open(session: Session) -> None:
    if not session.accepts_contributions:
        if session.deadline_passed:
            raise ValidationError(gettext("The deadline for contributions to this session has passed."))
        raise ValidationError(gettext("This session is not open for contributions."))


def submission_refusal(organisation: Organisation) -> str:
    """Why ``organisation`` may not submit contributions for moderation, or "" when it may.

    Only what moderation can decide is submitted: an organisation that never requested accreditation,
    or whose request was rejected, could never have its contributions published."""
    if organisation.may_submit:
        return ""
    A = Organisation.Accreditation
    if organisation.accreditation == A.REJECTED:
        reason = f" ({organisation.accreditation_reason})" if organisation.accreditation_reason else ""
        return gettext("%(name)s's request for special accreditation was rejected%(reason)s, so its "
                       "contributions cannot be submitted: request accreditation again, saying what has changed, or "
                       "write to the secretariat of the consultation. You may save your text as a draft meanwhile."
                       ) % {"name": organisation.name, "reason": reason}
    return gettext("%(name)s is not accredited to this process (%(accreditation)s), so its contributions cannot be "
                   "submitted: request special accreditation first. You may save your text as a draft meanwhile."
                   ) % {"name": organisation.name, "accreditation": organisation.get_accreditation_display()}


def _check_may_submit(organisation: Organisation) -> None:
    refusal = submission_refusal(organisation)
    if refusal:
        raise ValidationError(refusal, code="not_accredited")


def _apply(contribution: Contribution, title: str, text: str, document: CheckedDocument | None,
           document_name: str, remove_document: bool) -> None:
    contribution.title = title.strip()
    contribution.text = text.strip()
    if remove_document and contribution.document:
        contribution.document.delete(save=False)
        contribution.document = ""
        contribution.document_name = contribution.document_kind = contribution.document_text = ""
    if document is not None:
        if contribution.document:
            contribution.document.delete(save=False)
        contribution.document.save(f"upload.{document.kind}", ContentFile(document.data), save=False)
        contribution.document_name = Path(document_name or f"document.{document.kind}").name[:255]
        contribution.document_kind = document.kind
        contribution.document_text = document.text
    if not contribution.full_text:
        raise ValidationError(gettext("Write the statement or upload a document (or both)."))


@transaction.atomic
def create_contribution(*, user, session: Session, organisation: Organisation, title: str = "",
                        text: str = "", document: CheckedDocument | None = None, document_name: str = "",
                        submit: bool = True) -> Contribution:
    _check_delegate(user, organisation)
    _check_open(session)
    contribution = Contribution(session=session, organisation=organisation, submitted_by=user)
    if submit:
        _check_may_submit(organisation)  # before _apply writes the document to storage
    _apply(contribution, title, text, document, document_name, remove_document=False)
    if submit:
        contribution.state = S.SUBMITTED
        contribution.submitted_at = timezone.now()
    contribution.save()
    return contribution


@transaction.atomic
def update_contribution(contribution: Contribution, *, user, title: str, text: str,
                        document: CheckedDocument | None = None, document_name: str = "",
                        remove_document: bool = False, submit: bool = False) -> Contribution:
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    _check_delegate(user, contribution.organisation)
    _check_open(contribution.session)
    if contribution.state not in (S.DRAFT, S.SUBMITTED):
        raise ValidationError(gettext("A contribution that is %(state)s can no longer be edited.")
                              % {"state": contribution.get_state_display()})
    if submit and contribution.state == S.DRAFT:
        _check_may_submit(contribution.organisation)  # before _apply writes the document to storage
    _apply(contribution, title, text, document, document_name, remove_document)
    if submit and contribution.state == S.DRAFT:
        contribution.state = S.SUBMITTED
        contribution.submitted_at = timezone.now()
    contribution.save()
    return contribution


@transaction.atomic
def moderate_contribution(contribution: Contribution, *, approve: bool, reason: str, by) -> Contribution:
    contribution = Contribution.objects.select_for_update().select_related("organisation").get(pk=contribution.pk)
    if contribution.state != S.SUBMITTED:
        raise ValidationError(gettext("Only a submitted contribution can be moderated."))
    if approve and not contribution.organisation.is_accredited:
        raise ValidationError(
            gettext("%(name)s is not accredited (%(accreditation)s): decide its accreditation first.") % {
                "name": contribution.organisation.name,
                "accreditation": contribution.organisation.get_accreditation_display()}
        )
    if not approve and not reason.strip():
        raise ValidationError(gettext("A rejection needs a reason."))
    before = {"state": contribution.state}
    contribution.state = S.PUBLISHED if approve else S.REJECTED
    contribution.moderation_reason = reason.strip()
    contribution.moderated_by = by
    contribution.moderated_at = timezone.now()
    contribution.save()
    audit.record(by, audit.Act.PUBLISH_CONTRIBUTION if approve else audit.Act.REJECT_CONTRIBUTION, contribution,
                 before=before, after={"state": contribution.state}, reason=contribution.moderation_reason)
    return contribution


@dataclass
class ModerationOutcome:
    """What a decision on several items did: the titles decided, and each refusal with its reason."""

    done: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def moderate_selected(keys: list[str], *, approve: bool, reason: str, by) -> ModerationOutcome:
    """Publish (accept) or reject several items of the moderation queue with one reason.

    ``keys`` are the queue's item keys ("contribution-12", "statement-7"). Each item is checked
    against ``by``'s permission and decided on its own (``moderate_contribution``,
    ``rounds.services.moderate_statement``): one that cannot be decided is reported, the others are.
    Each item decided is one act, with its own entry in the audit log (and its own transaction).
    """
    from rapporteur.web.rounds import services as round_services
    from rapporteur.web.rounds.models import Statement

    if not keys:
        raise ValidationError(gettext("Select at least one item."))
    if not approve and not reason.strip():
        raise ValidationError(gettext("A rejection needs a reason: it is stored on every rejected item."))
    wanted = []
    for key in keys:
        kind, _, pk = key.partition("-")
        if kind not in ("contribution", "statement") or not pk.isdigit():
            raise ValidationError(gettext("Unknown item %(key)r in the moderation queue.") % {"key": key})
        wanted.append((kind, int(pk)))
    found = {
        **{("contribution", c.pk): c for c in Contribution.objects.select_related("organisation", "session")
           .filter(pk__in=[pk for kind, pk in wanted if kind == "contribution"])},
        **{("statement", s.pk): s for s in Statement.objects.select_related("round")
           .filter(pk__in=[pk for kind, pk in wanted if kind == "statement"])},
    }
    outcome = ModerationOutcome()
    for kind, pk in wanted:
        item = found.get((kind, pk))
        label = f"{kind} {pk}" if item is None else (
            f"“{item.display_title}”" if kind == "contribution"
            else gettext("statement “%(text)s”") % {"text": item.text[:60]})
        perm = "contributions.moderate_contribution" if kind == "contribution" else "rounds.moderate_statement"
        if item is None:
            outcome.refused.append(gettext("%(item)s: it no longer exists.") % {"item": label})
            continue
        if not by.has_perm(perm, item):
            outcome.refused.append(gettext("%(item)s: you may not moderate it (it is %(state)s).") % {
                "item": label, "state": item.get_state_display()})
            continue
        decide = moderate_contribution if kind == "contribution" else round_services.moderate_statement
        try:
            decide(item, approve=approve, reason=reason, by=by)
        except ValidationError as err:
            outcome.refused.append(f"{label}: {' '.join(err.messages)}")
        else:
            outcome.done.append(label)
    return outcome


@dataclass
class ImportReport:
    created: list[Contribution] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@transaction.atomic
def import_contributions(session: Session, path: str | Path, meta: str | Path | None = None,
                         encoding: str = "utf-8", *, by=None) -> ImportReport:
    """Read a folder, a statements CSV or a document with the CLI's readers and add it to a session.

    Imported statements come from the official record: they are published at once, under
    organisations found or created by name. Raises ``rapporteur.errors.InputError`` when the
    input as a whole cannot be read; problems with single files or rows are in the report.
    """
    from rapporteur.ingest import read_path

    corpus = read_path(path, meta=meta, encoding=encoding)
    report = ImportReport(problems=[str(p) for p in corpus.problems])
    now = timezone.now()
    reason = f"Statement imported by the secretariat from {Path(path).name}"
    for item in corpus.contributions:
        organisation = organisation_services.get_or_create_organisation_for(item.stakeholder, reason)
        report.created.append(
            Contribution.objects.create(
                session=session,
                organisation=organisation,
                title=f"Statement by {organisation.name}",
                text=item.text,
                state=S.PUBLISHED,
                source=(item.source or item.id)[:300],
                submitted_at=now,
                moderated_at=now,
                moderation_reason="imported",
            )
        )
    if report.created:  # one act: the import, with the contributions it published
        audit.record(by, audit.Act.IMPORT_CONTRIBUTIONS, session, actor_name="command line",
                     after={"source": Path(path).name, "published": len(report.created),
                            "contributions": [c.pk for c in report.created]})
    return report
