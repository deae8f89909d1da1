from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "csphub.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from csphub.audit import checks  # noqa: F401  (registers the system checks)
