"""Organisations (the engine's Stakeholders), their delegates and their accreditation."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rapporteur.model import Stakeholder, StakeholderType

STAKEHOLDER_TYPE_CHOICES = [(t.value, t.value) for t in StakeholderType]
# States and the UN system take part by right; everyone else needs ECOSOC status or special
# accreditation (A/RES/71/280).
ACCREDITED_BY_RIGHT = {
    StakeholderType.MEMBER_STATE.value,
    StakeholderType.OBSERVER_STATE.value,
    StakeholderType.UN_ENTITY.value,
}


class Organisation(models.Model):
    class EcosocStatus(models.TextChoices):
        NONE = "", _("none")
        GENERAL = "general", _("general consultative status")
        SPECIAL = "special", _("special consultative status")
        ROSTER = "roster", _("roster")

    class Accreditation(models.TextChoices):
        BY_RIGHT = "by_right", _("not required (State or UN system)")
        ECOSOC = "ecosoc", _("ECOSOC consultative status")
        NOT_REQUESTED = "not_requested", _("not requested")
        REQUESTED = "requested", _("special accreditation requested")
        APPROVED = "approved", _("special accreditation approved")
        REJECTED = "rejected", _("special accreditation rejected")

    ACCREDITED = (Accreditation.BY_RIGHT, Accreditation.ECOSOC, Accreditation.APPROVED)
    # Who may submit contributions for moderation: an accredited organisation, or one whose request
    # awaits the secretariat's decision (its items are published once it is accredited).
    SUBMITS = ACCREDITED + (Accreditation.REQUESTED,)

    name = models.CharField(max_length=300, unique=True)
    type = models.CharField(max_length=40, choices=STAKEHOLDER_TYPE_CHOICES, default=StakeholderType.OTHER.value)
    country = models.CharField(max_length=3, blank=True, help_text="ISO 3166-1 alpha-3 code")
    region = models.CharField(max_length=100, blank=True, help_text="UN M49 region, from the country")
    subregion = models.CharField(max_length=100, blank=True, help_text="UN M49 sub-region, from the country")
    website = models.URLField(blank=True)
    ecosoc_status = models.CharField(max_length=20, choices=EcosocStatus.choices, blank=True, default="")
    accreditation = models.CharField(
        max_length=20, choices=Accreditation.choices, default=Accreditation.NOT_REQUESTED
    )
    accreditation_request = models.TextField(blank=True, help_text="Why the organisation asks to take part")
    accreditation_reason = models.TextField(blank=True, help_text="The secretariat's reason for its decision")
    accreditation_requested_at = models.DateTimeField(null=True, blank=True)
    accreditation_decided_at = models.DateTimeField(null=True, blank=True)
    accreditation_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_accredited(self) -> bool:
        return self.accreditation in self.ACCREDITED

    @property
    def may_submit(self) -> bool:
        """Accredited, or accreditation requested: what it submits can be decided by moderation."""
        return self.accreditation in self.SUBMITS

    def to_stakeholder(self) -> Stakeholder:
        """The engine's view of this organisation."""
        return Stakeholder(
            name=self.name,
            type=StakeholderType(self.type),
            country=self.country or None,
            region=self.region or None,
            subregion=self.subregion or None,
        )


class Delegate(models.Model):
    """A user who acts for an organisation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="delegates")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="unique_delegate")]

    def __str__(self) -> str:
        return f"{self.user} for {self.organisation}"
