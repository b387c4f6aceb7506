"""The audit log: every act of the secretariat and the moderators, append-only.

One ``AuditEntry`` per act: who (``actor``, and ``actor_name`` kept as it was then), when (``at``), what
(``act`` on a target: its type, id and label as they were then), the state before and after, the
reason given. Entries are only ever added (``audit.services.record``, in the transaction of the act):
``save`` of an existing entry, ``delete`` and the QuerySet's ``update``/``delete``/``bulk_update`` are
refused here, and the database refuses UPDATE and DELETE itself (``triggers``).
"""
from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rapporteur.web.processes.models import Process


class AppendOnly(Exception):
    """An audit entry cannot be changed or deleted."""

    def __init__(self, what: str = "changed or deleted"):
        super().__init__(f"The audit log is append-only: an entry cannot be {what}.")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("updated")

    def delete(self):
        raise AppendOnly("deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnly("updated")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnly("updated")

    delete.alters_data = True
    delete.queryset_only = True  # as Django's: no Manager.delete()
    update.alters_data = True


class AuditEntry(models.Model):
    class Act(models.TextChoices):
        ACCREDIT = "accredit", _("accredit an organisation")
        REJECT_ACCREDITATION = "reject_accreditation", _("reject an accreditation request")
        SET_ECOSOC_STATUS = "set_ecosoc_status", _("set ECOSOC consultative status")
        PUBLISH_CONTRIBUTION = "publish_contribution", _("publish a contribution")
        REJECT_CONTRIBUTION = "reject_contribution", _("reject a contribution")
        IMPORT_CONTRIBUTIONS = "import_contributions", _("import contributions")
        OPEN_SESSION = "open_session", _("open a session")
        CLOSE_SESSION = "close_session", _("close a session")
        SET_SESSION_STATUS = "set_session_status", _("set a session's status")
        RUN_SYNTHESIS = "run_synthesis", _("run a synthesis")
        EDIT_ASSESSMENT = "edit_assessment", _("edit a stocktaking's assessment")
        EDIT_SYNTHESIS = "edit_synthesis", _("edit a synthesis (the rapporteur's desk)")
        PUBLISH_SYNTHESIS = "publish_synthesis", _("publish a synthesis")
        OPEN_ROUND = "open_round", _("open a rating round")
        CLOSE_ROUND = "close_round", _("close a rating round")
        REOPEN_ROUND = "reopen_round", _("reopen a rating round")
        IMPORT_ROUND = "import_round", _("import a rating round")
        ACCEPT_STATEMENT = "accept_statement", _("accept a participant's statement")
        REJECT_STATEMENT = "reject_statement", _("reject a participant's statement")
        CHANGE_ROLE = "change_role", _("change a role")
        EXPORT_IDENTITIES = "export_identities", _("export with identities")
        EXPORT_AUDIT_LOG = "export_audit_log", _("export the audit log")

    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", help_text="Empty for the system (a command, the worker)")
    actor_name = models.CharField(max_length=150, help_text="The actor's user name at the time")
    act = models.CharField(max_length=40, choices=Act.choices, db_index=True)
    target_type = models.CharField(max_length=40)
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(max_length=300, help_text="The target as it was named at the time")
    process = models.ForeignKey(Process, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    before = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    reason = models.TextField(blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name}: {self.get_act_display()} {self.target_label}"

    def changes(self) -> list[tuple[str, object, object]]:
        """(key, before, after) for every key of either side, in order (None where a side lacks it)."""
        keys = list(dict.fromkeys([*self.before, *self.after]))
        return [(k, self.before.get(k), self.after.get(k)) for k in keys]

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AppendOnly("changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    save.alters_data = True

    def delete(self, *args, **kwargs):
        raise AppendOnly("deleted")

    delete.alters_data = True
