from django.apps import AppConfig


class PartnerdataConfig(AppConfig):
    name = "csphub.partnerdata"
    label = "partnerdata"
    verbose_name = "Partner data extracts"

    def ready(self) -> None:
        from csphub.accounts.roles import ANALYST, CSP_ADMIN, EXECUTIVE
        from csphub.core import registry

        registry.register_nav_entry(
            self.label,
            order=860,
            label="Partner data",
            url_name="partnerdata:extract_list",
            permission="partnerdata.view_extracts",
        )
        registry.register_role_grants(
            self.label, ANALYST, "partnerdata.view_extracts", "partnerdata.import_extracts"
        )
        registry.register_role_grants(self.label, CSP_ADMIN, "partnerdata.view_extracts")
        registry.register_role_grants(self.label, EXECUTIVE, "partnerdata.view_extracts")
        # Counts by month, area and measure, suppressed as casework is: no one's record.
        registry.register_no_personal_data(
            self.label, "partnerdata.view_extracts", "partnerdata.import_extracts"
        )
