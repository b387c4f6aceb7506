from django.contrib import admin

from .models import Delegate, Organisation


class DelegateInline(admin.TabularInline):
    model = Delegate
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "country", "region", "ecosoc_status", "accreditation"]
    list_filter = ["type", "region", "accreditation", "ecosoc_status"]
    search_fields = ["name", "country"]
    inlines = [DelegateInline]


@admin.register(Delegate)
class DelegateAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "created_at"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
