"""Writes to organisations: creation, delegates, accreditation."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from rapporteur.geography import UnknownCountry, country
from rapporteur.web.audit import services as audit
from rapporteur.model import StakeholderType

from .models import ACCREDITED_BY_RIGHT, Delegate, Organisation

A = Organisation.Accreditation


def _accreditation_state(organisation: Organisation) -> dict:
    """What the audit log keeps of an organisation's accreditation, before and after a decision."""
    return {"accreditation": organisation.accreditation, "ecosoc_status": organisation.ecosoc_status,
            "reason": organisation.accreditation_reason}


def _initial_accreditation(type_value: str, ecosoc_status: str) -> str:
    if type_value in ACCREDITED_BY_RIGHT:
        return A.BY_RIGHT
    if ecosoc_status:
        return A.ECOSOC
    return A.NOT_REQUESTED


def _geography(country_code: str) -> dict:
    if not country_code:
        return {"country": "", "region": "", "subregion": ""}
    try:
        c = country(country_code)
    except UnknownCountry:
        raise ValidationError(f"Unknown country {country_code!r}: give an ISO code or a country name.") from None
    return {"country": c.iso3, "region": c.region or "", "subregion": c.subregion or ""}


def create_organisation(
    name: str, type: str = StakeholderType.OTHER.value, country_code: str = "", ecosoc_status: str = ""
) -> Organisation:
    type_value = StakeholderType.parse(type).value
    return Organisation.objects.create(
        name=name.strip(),
        type=type_value,
        ecosoc_status=ecosoc_status,
        accreditation=_initial_accreditation(type_value, ecosoc_status),
        **_geography(country_code),
    )


def get_or_create_organisation_for(stakeholder, accredited_by: str = "") -> Organisation:
    """The organisation for an engine Stakeholder (used by imports of official records).

    A new non-State organisation is recorded as approved, with ``accredited_by`` as the reason:
    the secretariat imports statements it has already received through its own channels.
    """
    existing = Organisation.objects.filter(name=stakeholder.name).first()
    if existing:
        return existing
    type_value = stakeholder.type.value
    accreditation = _initial_accreditation(type_value, "")
    reason = ""
    if accreditation == A.NOT_REQUESTED:
        accreditation, reason = A.APPROVED, accredited_by
    place = {"country": stakeholder.country or "", "region": stakeholder.region or "",
             "subregion": stakeholder.subregion or ""}
    if place["country"] and not place["region"]:
        try:
            place = _geography(place["country"])
        except ValidationError:
            pass  # keep the code as given; the engine reports unknown countries itself
    return Organisation.objects.create(
        name=stakeholder.name,
        type=type_value,
        **place,
        accreditation=accreditation,
        accreditation_reason=reason,
        accreditation_decided_at=timezone.now() if reason else None,
    )


def add_delegate(organisation: Organisation, user) -> Delegate:
    delegate, _ = Delegate.objects.get_or_create(organisation=organisation, user=user)
    return delegate


@transaction.atomic
def request_accreditation(organisation: Organisation, justification: str) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.accreditation not in (A.NOT_REQUESTED, A.REJECTED):
        raise ValidationError(gettext("Accreditation is already %(accreditation)s.") % {
            "accreditation": organisation.get_accreditation_display()})
    if not justification.strip():
        raise ValidationError(gettext("Say why the organisation asks to take part."))
    organisation.accreditation = A.REQUESTED
    organisation.accreditation_request = justification.strip()
    organisation.accreditation_requested_at = timezone.now()
    organisation.accreditation_reason = ""
    organisation.save()
    return organisation


@transaction.atomic
def decide_accreditation(organisation: Organisation, approve: bool, reason: str, by) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.accreditation != A.REQUESTED:
        raise ValidationError(gettext("There is no pending accreditation request for this organisation."))
    if not approve and not reason.strip():
        raise ValidationError(gettext("A rejection needs a reason."))
    before = _accreditation_state(organisation)
    organisation.accreditation = A.APPROVED if approve else A.REJECTED
    organisation.accreditation_reason = reason.strip()
    organisation.accreditation_decided_at = timezone.now()
    organisation.accreditation_decided_by = by
    organisation.save()
    audit.record(by, audit.Act.ACCREDIT if approve else audit.Act.REJECT_ACCREDITATION, organisation,
                 before=before, after=_accreditation_state(organisation), reason=organisation.accreditation_reason)
    return organisation


@transaction.atomic
def set_ecosoc_status(organisation: Organisation, status: str, by) -> Organisation:
    """Record an organisation's ECOSOC consultative status, and its accreditation with it, in one step.

    A status (general, special, roster) accredits the organisation ("ECOSOC consultative status");
    clearing it withdraws the accreditation it gave (back to "not requested"), while a special
    accreditation decided by the secretariat stays as it was.
    """
    E = Organisation.EcosocStatus
    if status not in E.values:
        choices = ", ".join(repr(v) for v in E.values)
        raise ValidationError(gettext("Unknown ECOSOC status %(status)r: choose one of %(choices)s.") % {
            "status": status, "choices": choices})
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.type in ACCREDITED_BY_RIGHT:
        if status:
            raise ValidationError(
                gettext("%(name)s is a %(type)s: it takes part by right and has no ECOSOC status.") % {
                    "name": organisation.name, "type": organisation.type}
            )
        return organisation
    if status == organisation.ecosoc_status and (not status or organisation.accreditation == A.ECOSOC):
        return organisation
    before = _accreditation_state(organisation)
    organisation.ecosoc_status = status
    if status:
        organisation.accreditation = A.ECOSOC
        with translation.override("en"):  # stored: in the site's language, not the secretariat's
            organisation.accreditation_reason = f"ECOSOC {E(status).label}"
    elif organisation.accreditation == A.ECOSOC:
        organisation.accreditation = A.NOT_REQUESTED
        organisation.accreditation_reason = ""
    organisation.accreditation_decided_at = timezone.now()
    organisation.accreditation_decided_by = by
    organisation.save()
    audit.record(by, audit.Act.SET_ECOSOC_STATUS, organisation, before=before, after=_accreditation_state(organisation))
    return organisation
