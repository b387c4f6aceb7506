"""Contributions: what an organisation submits to a session, and its moderation."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_lazy as _

from rapporteur.web.organisations.models import Organisation
from rapporteur.web.processes.models import Session


def _document_path(instance, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"contributions/{uuid.uuid4().hex}.{suffix}"


class Contribution(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted, awaiting moderation")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="contributions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contributions")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="contributions"
    )
    title = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True, help_text="The statement as typed")
    document = models.FileField(upload_to=_document_path, blank=True)
    document_name = models.CharField(max_length=255, blank=True, help_text="The uploaded file's name")
    document_kind = models.CharField(max_length=10, blank=True, help_text="pdf, docx or txt, from its content")
    document_text = models.TextField(blank=True, help_text="The text read from the document")
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    moderation_reason = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="For imports: the file (and line) read")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "organisation__name", "pk"]

    def __str__(self) -> str:
        return self.title or f"{self.organisation} — {self.session}"

    @property
    def full_text(self) -> str:
        """What the engine reads: the typed text, then the document's text."""
        return "\n\n".join(part.strip() for part in (self.text, self.document_text) if part.strip())

    @property
    def display_title(self) -> str:
        return self.title or gettext("Statement by %(organisation)s") % {"organisation": self.organisation.name}
