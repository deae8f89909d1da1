from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "csphub.funding"
    label = "funding"
    verbose_name = "Funding and commissioned services"

    def ready(self) -> None:
        from csphub.accounts.roles import COORDINATOR, CSP_ADMIN, PRACTITIONER
        from csphub.core import registry
        from csphub.funding.selectors import condition_rule
        from csphub.meetings.selectors import register_action_rule

        # A grant's conditions are actions (meetings.Action.grant, ADR 0013): the manager's
        # branch of their access rule.
        register_action_rule(condition_rule)

        # Every signed-in user reads funding (docs/funding.md): the entry needs no permission.
        registry.register_nav_entry(
            self.label, order=700, label="Funding", url_name="funding:overview", permission=None
        )
        registry.register_role_grants(
            self.label, CSP_ADMIN, "funding.manage_funding", "funding.record_figures"
        )
        registry.register_role_grants(self.label, COORDINATOR, "funding.record_figures")
        registry.register_role_grants(self.label, PRACTITIONER, "funding.record_figures")
        # Money and counts of outputs: nobody's personal data.
        registry.register_no_personal_data(
            self.label, "funding.manage_funding", "funding.record_figures"
        )
