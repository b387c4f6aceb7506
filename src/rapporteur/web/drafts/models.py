"""Versions of a process's draft outcome document (a zero draft, its revisions) and their coverage."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rapporteur.web.processes.models import Process


class DraftVersion(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("coverage being read")
        READY = "ready", _("coverage read")
        FAILED = "failed", _("coverage failed")

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="drafts")
    number = models.PositiveIntegerField(help_text="1 for the zero draft, then each revision")
    title = models.CharField(max_length=300)
    dated = models.DateField(help_text="The date the draft bears")
    file_name = models.CharField(max_length=300)
    text = models.TextField(help_text="The draft's text as read from the file (verbatim)")
    split = models.CharField(max_length=40, help_text="How it was cut: numbered paragraphs, objectives, …")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    coverage = models.JSONField(null=True, blank=True, help_text="analysis.coverage's document")
    against = models.JSONField(default=list, help_text="The published syntheses it was read against (ids)")
    error = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["process", "number"]
        constraints = [models.UniqueConstraint(fields=["process", "number"], name="one_number_per_draft")]

    def __str__(self) -> str:
        return f"{self.process.slug} draft {self.number}"
