from django.contrib import admin

from .models import Contribution


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["display_title", "organisation", "session", "state", "submitted_at", "document_kind"]
    list_filter = ["state", "session__phase__process", "session"]
    search_fields = ["title", "text", "document_text", "organisation__name"]
    raw_id_fields = ["organisation", "session", "submitted_by", "moderated_by"]
    readonly_fields = ["document_kind", "document_text", "created_at", "updated_at"]
