from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "csphub.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from csphub.core import registry

        registry.register_nav_entry(
            self.label,
            order=890,
            label="Notifications",
            url_name="notifications:notification_list",
            permission=None,
        )
