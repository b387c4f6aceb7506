from django.contrib import admin

from .models import Synthesis


@admin.register(Synthesis)
class SynthesisAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "stage", "contribution_count", "created_at", "published_at"]
    list_filter = ["status", "session__phase__process"]
    readonly_fields = [
        "version", "status", "stage", "done", "total", "heartbeat", "task_id", "contribution_count",
        "data", "report_markdown", "error", "requested_by", "created_at", "started_at", "finished_at",
        "published_at", "published_by", "edited_at", "edited_by",
    ]
    exclude = ["report_html"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == Synthesis.Status.PUBLISHED:
            return False  # frozen
        return super().has_change_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete would bypass the freeze of published versions
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == Synthesis.Status.PUBLISHED:
            return False
        return super().has_delete_permission(request, obj)
