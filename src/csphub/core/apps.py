from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "csphub.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from csphub.core.registry import register_nav_entry

        register_nav_entry(self.label, order=0, label="Home", url_name="core:home", permission=None)
