from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "csphub.meetings"
    label = "meetings"
    verbose_name = "Panel meetings and actions"

    def ready(self) -> None:
        from csphub.accounts.roles import COORDINATOR, PRACTITIONER
        from csphub.core import registry
        from csphub.meetings import reports
        from csphub.meetings.selectors import dashboard_summary
        from csphub.panels.reports import MeetingFigures, register_meeting_figures

        register_meeting_figures(
            MeetingFigures(
                overdue_actions=reports.overdue_actions,
                first_discussion_days=reports.first_discussion_days,
            )
        )

        registry.register_nav_entry(
            self.label,
            order=300,
            label="Meetings",
            url_name="meetings:meeting_list",
            permission="meetings.view_meetings",
        )
        registry.register_nav_entry(
            self.label,
            order=310,
            label="Your actions",
            url_name="meetings:my_actions",
            permission="meetings.view_actions",
        )
        registry.register_dashboard_card(
            self.label,
            order=300,
            title="Meetings and your actions",
            url_name="meetings:my_actions",
            permission="meetings.view_actions",
            empty_text="Actions panels ask you to take, and the meetings of the panels you sit on.",
            summary=dashboard_summary,
        )
        registry.register_role_grants(
            self.label,
            COORDINATOR,
            "meetings.view_meetings",
            "meetings.run_meetings",
            "meetings.view_actions",
        )
        registry.register_role_grants(
            self.label, PRACTITIONER, "meetings.view_meetings", "meetings.view_actions"
        )
