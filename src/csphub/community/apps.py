from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "csphub.community"
    label = "community"
    verbose_name = "Community and prevention activity"

    def ready(self) -> None:
        from csphub.accounts.roles import COORDINATOR, PRACTITIONER
        from csphub.community.selectors import activity_for_measure, activity_of_item
        from csphub.core import registry
        from csphub.funding.selectors import register_activity_counter, register_linked_activity

        # A funded item's measures that count activity take their actuals from here.
        register_activity_counter(activity_for_measure)
        register_linked_activity(activity_of_item)
        registry.register_nav_entry(
            self.label,
            order=800,
            label="Community activity",
            url_name="community:activity_list",
            permission=None,
        )
        registry.register_role_grants(self.label, COORDINATOR, "community.record_activity")
        registry.register_role_grants(self.label, PRACTITIONER, "community.record_activity")
        registry.register_no_personal_data(self.label, "community.record_activity")
