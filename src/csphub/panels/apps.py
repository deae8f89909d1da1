from typing import Any

from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "csphub.panels"
    label = "panels"
    verbose_name = "Multi-agency panels"

    def ready(self) -> None:
        from csphub.accounts.grants import GrantKind, register
        from csphub.accounts.roles import (
            ANALYST,
            COORDINATOR,
            CSP_ADMIN,
            EXECUTIVE,
            PRACTITIONER,
        )
        from csphub.core import registry
        from csphub.panels import selectors
        from csphub.panels.queue import home_queue
        from csphub.panels.selectors import dashboard_summary
        from csphub.people.access import Links, register_links

        # A person or a place is seen by those who may open a case about them.
        register_links(
            self.label,
            Links(
                people_seen_by=selectors.people_linked_to_cases_seen_by,
                places_seen_by=selectors.places_linked_to_cases_seen_by,
                people_coordinated_by=selectors.people_on_panels_coordinated_by,
            ),
        )

        registry.register_nav_entry(
            self.label,
            order=200,
            label="Cases",
            url_name="panels:case_list",
            permission="panels.view_cases",
        )
        registry.register_nav_entry(
            self.label,
            order=210,
            label="Panels",
            url_name="panels:panel_list",
            permission="panels.view_panels",
        )
        registry.register_home_section(
            self.label,
            order=200,
            template="panels/includes/decision_queue.html",
            permission="panels.coordinate",
            context=home_queue,
        )
        registry.register_dashboard_card(
            self.label,
            order=200,
            title="Your cases",
            url_name="panels:case_list",
            permission="panels.view_cases",
            empty_text="Cases from the panels you sit on and your agency's cases will appear here.",
            summary=dashboard_summary,
        )
        panels_and_figures = ("panels.view_panels", "panels.view_panel_dashboard")
        casework = ("panels.view_panels", "panels.view_cases", "panels.refer")
        registry.register_role_grants(
            self.label, CSP_ADMIN, *panels_and_figures, "panels.manage_panels"
        )
        registry.register_role_grants(self.label, ANALYST, *panels_and_figures)
        registry.register_role_grants(
            self.label,
            COORDINATOR,
            *casework,
            "panels.coordinate",
            "panels.export_cases",
            "panels.view_panel_dashboard",
        )
        registry.register_role_grants(
            self.label, PRACTITIONER, *casework, "panels.record_offending"
        )
        registry.register_role_grants(self.label, EXECUTIVE, *panels_and_figures)
        # Panels' purpose and members, their configuration, and suppressed aggregate figures.
        registry.register_no_personal_data(self.label, *panels_and_figures, "panels.manage_panels")

        register(
            "panel_seat",
            GrantKind(
                permission="panels.manage_panels",
                describe=_describe_seat,
                apply=_apply_seat,
            ),
        )


def _describe_seat(detail: dict[str, Any]) -> str:
    from csphub.panels.choices import MembershipRole
    from csphub.panels.models import Panel

    panel = Panel.objects.filter(pk=detail["panel"]).first()
    role = MembershipRole(detail["role"]).label.lower()
    return f"Seat on {panel.name if panel else 'a panel'} as {role}"


def _apply_seat(*, actor: Any, user: Any, detail: dict[str, Any], request: Any) -> object:
    """An approved seat request: seated by the approver, through the usual service."""
    from csphub.panels.models import Panel
    from csphub.panels.services import do_add_panel_member

    panel = Panel.objects.get(pk=detail["panel"])
    return do_add_panel_member(
        actor=actor, panel=panel, user=user, role=detail["role"], request=request
    )
