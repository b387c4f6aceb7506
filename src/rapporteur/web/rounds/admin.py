from django.contrib import admin

from .models import Participant, Round, Statement


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "session", "status", "created_at", "closed_at"]
    list_filter = ["status", "session__phase__process"]
    raw_id_fields = ["session", "source_synthesis", "created_by"]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["text", "round", "origin", "state", "key_point"]
    list_filter = ["state", "origin"]
    search_fields = ["text"]
    raw_id_fields = ["round", "author", "moderated_by"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["pk", "round", "organisation", "external_id", "region", "stakeholder_type"]
    raw_id_fields = ["round", "user", "organisation"]
