"""The audit trail in the Django admin: read-only, like everywhere else."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from csphub.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["seq", "occurred_at", "actor_label", "verb", "target_type", "target_id"]
    list_filter = ["verb"]
    search_fields = ["actor_label", "target_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
