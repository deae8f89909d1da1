from django.apps import AppConfig


class SnaConfig(AppConfig):
    name = "csphub.sna"
    label = "sna"
    verbose_name = "Serious Violence Strategic Needs Assessment"

    def ready(self) -> None:
        from csphub.accounts.roles import ANALYST, CSP_ADMIN, EXECUTIVE
        from csphub.core import registry

        registry.register_nav_entry(
            self.label,
            order=850,
            label="Needs assessment",
            url_name="sna:overview",
            permission="sna.read_summary",
        )
        full = ("sna.read_summary", "sna.read_assessment")
        registry.register_role_grants(self.label, ANALYST, *full, "sna.build_assessment")
        registry.register_role_grants(self.label, CSP_ADMIN, *full)
        registry.register_role_grants(self.label, EXECUTIVE, *full)
        # Aggregates only, casework counts suppressed in both outputs: no one's record.
        registry.register_no_personal_data(self.label, *full, "sna.build_assessment")
