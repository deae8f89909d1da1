from django.apps import AppConfig


class CrimeConfig(AppConfig):
    name = "csphub.crime"
    label = "crime"
    verbose_name = "Crime figures and hot spots"

    def ready(self) -> None:
        from csphub.accounts.roles import ANALYST, COORDINATOR, CSP_ADMIN, EXECUTIVE
        from csphub.core import registry
        from csphub.crime import checks  # noqa: F401  (registers the system checks)
        from csphub.crime.selectors import dashboard_summary

        registry.register_nav_entry(
            self.label,
            order=100,
            label="Crime figures",
            url_name="crime:figures",
            permission="crime.view_figures",
        )
        registry.register_dashboard_card(
            self.label,
            order=100,
            title="Crime figures and hot spots",
            url_name="crime:figures",
            permission="crime.view_figures",
            empty_text="Police recorded crime for the borough, its BCU and London will appear "
            "here once an analyst has imported data.",
            summary=dashboard_summary,
        )
        seeing = ("crime.view_figures", "crime.view_hotspots")
        registry.register_role_grants(self.label, CSP_ADMIN, *seeing)
        registry.register_role_grants(
            self.label, ANALYST, *seeing, "crime.download_figures", "crime.import_data"
        )
        registry.register_role_grants(self.label, COORDINATOR, *seeing)
        registry.register_role_grants(self.label, EXECUTIVE, *seeing, "crime.download_figures")
        # Aggregate police data, small numbers suppressed: no one's personal data.
        registry.register_no_personal_data(
            self.label, *seeing, "crime.download_figures", "crime.import_data"
        )
