from django.contrib import admin

from .models import DraftVersion


@admin.register(DraftVersion)
class DraftVersionAdmin(admin.ModelAdmin):
    list_display = ("process", "number", "title", "dated", "status", "published_at")
    readonly_fields = ("text", "coverage", "against", "split", "status", "error", "published_at", "created_by")
