"""The audit log in the admin: read only, for everyone (a superuser included): no add, no change, no
delete, no bulk action."""
from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "act", "target_type", "target_label", "process"]
    list_filter = ["act", "process"]
    search_fields = ["actor_name", "target_label", "reason"]
    date_hierarchy = "at"
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
