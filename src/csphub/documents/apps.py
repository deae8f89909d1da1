from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "csphub.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        from csphub.accounts.roles import COORDINATOR, PRACTITIONER
        from csphub.core import registry
        from csphub.documents import checks, storage  # noqa: F401  (system checks; file deletion)

        for role in (COORDINATOR, PRACTITIONER):
            registry.register_role_grants(self.label, role, "documents.attach_documents")
