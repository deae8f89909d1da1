from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "csphub.reports"
    label = "reports"
    verbose_name = "Partnership reports"

    def ready(self) -> None:
        from csphub.accounts.roles import ANALYST, CSP_ADMIN, EXECUTIVE
        from csphub.core import registry

        registry.register_nav_entry(
            self.label,
            order=873,
            label="Annual report",
            url_name="reports:annual",
            permission="reports.view_annual",
        )
        # The CSP manager builds and signs off; the analyst builds and writes; the executive reads.
        registry.register_role_grants(
            self.label,
            CSP_ADMIN,
            "reports.view_annual",
            "reports.build_annual",
            "reports.sign_off_annual",
        )
        registry.register_role_grants(
            self.label, ANALYST, "reports.view_annual", "reports.build_annual"
        )
        registry.register_role_grants(self.label, EXECUTIVE, "reports.view_annual")
        # Aggregate figures only, casework suppressed: no one's personal data.
        registry.register_no_personal_data(
            self.label, "reports.view_annual", "reports.build_annual", "reports.sign_off_annual"
        )
