"""Process → Phase → Session, and the taxonomies a process classifies points with."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext, gettext_lazy as _
from django.utils import timezone


class Process(models.Model):
    """An intergovernmental process, e.g. the Global Compact for Migration."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    mandate = models.CharField(max_length=200, blank=True, help_text="e.g. A/RES/71/280")

    class Meta:
        verbose_name_plural = _("processes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Phase(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["process", "number"]
        constraints = [models.UniqueConstraint(fields=["process", "number"], name="unique_phase_number")]

    def __str__(self) -> str:
        return gettext("%(process)s — Phase %(number)s: %(name)s") % {
            "process": self.process.name, "number": self.number, "name": self.name}


class Session(models.Model):
    class Kind(models.TextChoices):
        THEMATIC = "thematic", _("thematic session")
        HEARING = "hearing", _("hearing")
        REGIONAL = "regional", _("regional consultation")
        STOCKTAKING = "stocktaking", _("stocktaking")
        NEGOTIATION = "negotiation", _("negotiation round")

    class Status(models.TextChoices):
        UPCOMING = "upcoming", _("upcoming")
        OPEN = "open", _("open for contributions")
        CLOSED = "closed", _("closed")
        PUBLISHED = "published", _("synthesis published")

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    theme = models.TextField(blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPCOMING)
    contributions_deadline = models.DateTimeField(
        null=True, blank=True, help_text="Delegates may submit and edit until then (no deadline if empty)."
    )

    class Meta:
        ordering = ["phase__number", models.F("start_date").asc(nulls_last=True), "number", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def process(self) -> Process:
        return self.phase.process

    @property
    def deadline_passed(self) -> bool:
        return self.contributions_deadline is not None and timezone.now() > self.contributions_deadline

    @property
    def accepts_contributions(self) -> bool:
        return self.status == self.Status.OPEN and not self.deadline_passed


class Taxonomy(models.Model):
    """A list of terms a process uses: objectives, guiding principles, stakeholder types."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="taxonomies")
    slug = models.SlugField()
    name = models.CharField(max_length=200)
    source = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = _("taxonomies")
        ordering = ["process", "pk"]
        constraints = [models.UniqueConstraint(fields=["process", "slug"], name="unique_taxonomy_slug")]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="terms")
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["taxonomy", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["taxonomy", "code"], name="unique_term_code")]

    def __str__(self) -> str:
        return self.label
