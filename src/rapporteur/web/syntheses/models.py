"""A synthesis of a session, or a stocktaking of a phase or of a whole process, produced by the engine in a
background worker.

A session gets a synthesis (``rapporteur.synthesis.synthesize``); a phase or a process gets a stocktaking
(``rapporteur.synthesis.stocktake``): one key point set over its sessions, read session by session, with
the measured SWOT that the secretariat may add its own text to before publishing.

Each run is a new version. queued → running → draft (ready for review) → published; a run may
also fail, or stall when its worker dies. A published version is frozen.
"""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_lazy as _
from django.utils import timezone

from rapporteur.web.processes.models import Phase, Process, Session


class FrozenSynthesis(Exception):
    """A published synthesis cannot be changed."""


class Synthesis(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        FAILED = "failed", _("failed")
        DRAFT = "draft", _("draft, ready for review")
        PUBLISHED = "published", _("published")

    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.PROTECT, related_name="syntheses")
    phase = models.ForeignKey(Phase, null=True, blank=True, on_delete=models.PROTECT, related_name="syntheses")
    process = models.ForeignKey(Process, null=True, blank=True, on_delete=models.PROTECT, related_name="syntheses",
                                help_text="A stocktaking of every session of the process")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=100, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    heartbeat = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    contribution_count = models.PositiveIntegerField(default=0)
    data = models.JSONField(null=True, blank=True)
    machine = models.JSONField(
        null=True, blank=True,
        help_text="The machine's draft, kept when the rapporteur first edits it; data then holds the revised document",
    )
    report_html = models.TextField(blank=True)
    report_markdown = models.TextField(blank=True)
    error = models.TextField(blank=True)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="A version whose text analysis this one reuses (to add a round's results without a re-run)",
    )
    round = models.ForeignKey(
        "rounds.Round", null=True, blank=True, on_delete=models.PROTECT, related_name="syntheses",
        help_text="The rating round whose measured agreement this version includes",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True, help_text="When the secretariat last edited the assessment")
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = _("syntheses")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(session__isnull=False, phase__isnull=True, process__isnull=True)
                           | models.Q(session__isnull=True, phase__isnull=False, process__isnull=True)
                           | models.Q(session__isnull=True, phase__isnull=True, process__isnull=False)),
                name="synthesis_of_one_session_phase_or_process",
            ),
            models.UniqueConstraint(fields=["session", "version"], condition=models.Q(session__isnull=False),
                                    name="unique_session_synthesis_version"),
            models.UniqueConstraint(fields=["phase", "version"], condition=models.Q(phase__isnull=False),
                                    name="unique_phase_synthesis_version"),
            models.UniqueConstraint(fields=["process", "version"], condition=models.Q(process__isnull=False),
                                    name="unique_process_synthesis_version"),
        ]

    def __str__(self) -> str:
        return gettext("Synthesis of %(scope)s, version %(version)s") % {"scope": self.scope_label, "version": self.version}

    def _is_stored_published(self) -> bool:
        return self.pk is not None and Synthesis.objects.filter(pk=self.pk, status=self.Status.PUBLISHED).exists()

    def save(self, *args, **kwargs):
        if self._is_stored_published():
            raise FrozenSynthesis(f"{self} is published and cannot be changed; run a new version instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED or self._is_stored_published():
            raise FrozenSynthesis(f"{self} is published and cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def scope(self):
        return self.session or self.phase or self.process

    @property
    def scope_label(self) -> str:
        if self.session_id:
            return self.session.title
        if self.phase_id:
            return gettext("Phase %(number)s: %(name)s") % {"number": self.phase.number, "name": self.phase.name}
        return self.process.name

    @property
    def is_stocktake(self) -> bool:
        """A phase or a process gets a stocktaking across its sessions; a session a synthesis."""
        return not self.session_id

    @property
    def kind_label(self) -> str:
        return gettext("Stocktaking") if self.is_stocktake else gettext("Synthesis")

    @property
    def owning_process(self):
        """The process this synthesis belongs to, whatever its scope."""
        if self.process_id:
            return self.process
        return (self.session.phase if self.session_id else self.phase).process

    @property
    def is_stalled(self) -> bool:
        """Running, but its worker has not reported for a while: it died (or was killed)."""
        if self.status != self.Status.RUNNING:
            return False
        limit = timedelta(seconds=settings.RAPPORTEUR_SYNTHESIS_STALL_SECONDS)
        return self.heartbeat is None or timezone.now() - self.heartbeat > limit

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.QUEUED or (self.status == self.Status.RUNNING and not self.is_stalled)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
