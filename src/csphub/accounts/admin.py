"""Django admin registrations (superusers only; day-to-day work uses the service's own pages).

Role and two-factor changes must be audited, and only the accounts services call
audit.record. So the Django admin cannot change them: a user's groups, permissions and
superuser flag are read-only here, the Group admin and django-otp's device admins are
unregistered. Roles are granted (and 2FA reset) on the application's own user pages.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin  # also registers Group
from django.contrib.auth.models import Group
from django.db.models import Model

# Imported (not only autodiscovered) so its registration happens before ours is undone
# below, whatever the INSTALLED_APPS order.
from django_otp.plugins.otp_totp import admin as _totp_admin  # noqa: F401
from django_otp.plugins.otp_totp.models import TOTPDevice

from csphub.accounts.models import Agency, User


def _unregister(model: type[Model]) -> None:
    if admin.site.is_registered(model):
        admin.site.unregister(model)


# Group permissions are the role table in csphub.accounts.roles (synced after migrate);
# editing them here would change what a role may do without an audit event.
_unregister(Group)
# Adding, confirming or deleting a TOTP/static device here would bypass the audited
# two-factor reset (services.do_reset_two_factor).
_unregister(TOTPDevice)
if apps.is_installed("django_otp.plugins.otp_static"):
    import django_otp.plugins.otp_static.admin  # noqa: F401
    from django_otp.plugins.otp_static.models import StaticDevice

    _unregister(StaticDevice)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    readonly_fields = ["version"]  # moved on by the service's own saves, never typed


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "agency", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser", "groups", "agency"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "job_title", "agency"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "full_name", "agency", "password1", "password2"]})]
    # Roles (groups) and permissions change only through the audited user pages
    # (accounts:user_edit -> services.do_update_user -> audit.record), never here.
    readonly_fields = ["groups", "user_permissions", "is_superuser"]
