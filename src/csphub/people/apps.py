from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "csphub.people"
    label = "people"
    verbose_name = "People and places"
