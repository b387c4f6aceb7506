"""The admin's user pages, with every change of a user's roles (superuser, staff, the secretariat and
moderator groups) recorded in the audit log, in the admin's own transaction."""
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from . import roles

User = get_user_model()


class RoleRecordingUserAdmin(UserAdmin):
    def save_model(self, request, obj, form, change):
        # the roles as stored, before this form saves the flags (here) and the groups (save_related)
        request._roles_before = roles.role_state(User.objects.get(pk=obj.pk) if change else None)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        roles.record_role_change(form.instance, request._roles_before, by=request.user)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, RoleRecordingUserAdmin)
