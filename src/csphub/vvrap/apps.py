from django.apps import AppConfig


class VvrapConfig(AppConfig):
    name = "csphub.vvrap"
    label = "vvrap"
    verbose_name = "Violence and Vulnerability Reduction Action Plan"

    def ready(self) -> None:
        from csphub.accounts.roles import CSP_ADMIN, EXECUTIVE
        from csphub.core import registry
        from csphub.funding.selectors import register_served_actions
        from csphub.meetings.selectors import register_action_rule
        from csphub.meetings.topics import register_standing_items
        from csphub.vvrap.compliance import STANDING_ITEMS
        from csphub.vvrap.selectors import actions_served, dashboard_summary, milestone_rule

        # A plan item's milestones: one more branch of meetings' one rule for actions.
        register_action_rule(milestone_rule)
        # The funded items' pages list the actions each serves; the link is declared here.
        register_served_actions(actions_served)
        # The minimum standards' four standing items, offered on every meeting's agenda.
        register_standing_items(*STANDING_ITEMS)
        registry.register_nav_entry(
            self.label,
            order=600,
            label="Action plan",
            url_name="vvrap:plan_list",
            permission=None,
        )
        registry.register_dashboard_card(
            self.label,
            order=600,
            title="Violence and vulnerability action plan",
            url_name="vvrap:plan_list",
            permission=None,
            empty_text="The partnership's VVRAP: its actions, quarterly updates and RAG returns.",
            summary=dashboard_summary,
        )
        registry.register_role_grants(self.label, CSP_ADMIN, "vvrap.manage_plan")
        # The boards' minutes, here rather than through meetings.view_meetings (which would
        # open the case panels' meetings): boards hold no case data (docs/permissions.md).
        for role in (CSP_ADMIN, EXECUTIVE):
            registry.register_role_grants(self.label, role, "vvrap.read_board_minutes")
        # The plan and the boards' minutes name staff in their work and hold no case or
        # personal data.
        registry.register_no_personal_data(
            self.label, "vvrap.manage_plan", "vvrap.read_board_minutes"
        )
