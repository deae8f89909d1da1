from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "csphub.core"
    label = "core"
    verbose_name = "Core"
