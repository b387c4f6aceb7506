"""Organisations and their delegates in the admin; adding or removing a delegate changes a user's role,
and each such change is recorded in the audit log (``core.roles.recording_role_changes``)."""
from django.contrib import admin

from rapporteur.web.core.roles import recording_role_changes

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

    def save_formset(self, request, form, formset, change):
        if formset.model is not Delegate:
            return super().save_formset(request, form, formset, change)
        users = [d.user for d in Delegate.objects.filter(organisation=formset.instance).select_related("user")]
        users += [f.cleaned_data.get("user") for f in formset.forms if getattr(f, "cleaned_data", None)]
        with recording_role_changes(users, by=request.user):
            super().save_formset(request, form, formset, change)


@admin.register(Delegate)
class DelegateAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "created_at"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]

    def save_model(self, request, obj, form, change):
        users = [obj.user]
        if change:
            users.append(Delegate.objects.get(pk=obj.pk).user)
        with recording_role_changes(users, by=request.user):
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        with recording_role_changes([obj.user], by=request.user):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with recording_role_changes([d.user for d in queryset.select_related("user")], by=request.user):
            super().delete_queryset(request, queryset)
