from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """`csphub backup` and `csphub restore`: no models, no pages, only the two commands."""

    name = "csphub.backups"
    label = "backups"
    verbose_name = "Backup and restore"
