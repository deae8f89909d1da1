from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "csphub.governance"
    label = "governance"
    verbose_name = "Data protection: retention, subject access, the DPO's reports"

    def ready(self) -> None:
        from csphub.accounts.roles import DPO
        from csphub.core import registry

        registry.register_nav_entry(
            self.label,
            order=960,
            label="Data protection",
            url_name="governance:anomalies",
            permission="governance.view_anomalies",
        )
        registry.register_role_grants(
            self.label, DPO, "governance.view_anomalies", "governance.export_subject_access"
        )
        registry.register_information_section(
            self.label,
            page="privacy",
            order=100,
            template="governance/privacy_retention.html",
            context=retention_table,
        )


def retention_table() -> dict[str, object]:
    """The retention schedule as the privacy notice shows it."""
    from csphub.governance.schedules import SCHEDULES, moratorium_on

    return {"schedules": SCHEDULES, "moratorium": moratorium_on()}
