from django.apps import AppConfig


class CrimeConfig(AppConfig):
    name = "csphub.crime"
    label = "crime"
    verbose_name = "Crime figures and hot spots"
