from django.apps import AppConfig

# The key of csphub.accounts.roles.DPO, named here because audit sits below accounts and imports
# nothing from it (docs/adr/0010-import-layers.md); a role key no role has is refused when the
# roles are built, and tests/audit/test_audit_layer.py holds the two equal.
DPO = "dpo"


class AuditConfig(AppConfig):
    name = "csphub.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Every app declares its audit verbs in its own `verbs` module (csphub.audit.verbs).
        autodiscover_modules("verbs")
        from csphub.audit import checks  # noqa: F401  (registers the system checks)
        from csphub.core import registry

        registry.register_nav_entry(
            self.label,
            order=950,
            label="Audit trail",
            url_name="audit:event_list",
            permission="audit.view_audit",
        )
        registry.register_dashboard_card(
            self.label,
            order=950,
            title="Audit trail",
            url_name="audit:event_list",
            permission="audit.view_audit",
            empty_text="Every sign-in and every view or export of a person's record.",
        )
        registry.register_role_grants(self.label, DPO, "audit.view_audit", "audit.export_audit")
