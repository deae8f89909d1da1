from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "csphub.people"
    label = "people"
    verbose_name = "People and places"

    def ready(self) -> None:
        from csphub.accounts.roles import COORDINATOR, PRACTITIONER
        from csphub.core import registry

        registry.register_role_grants(
            self.label,
            COORDINATOR,
            "people.reveal_identity",
            "people.merge",
            "people.search_signpost",
        )
        registry.register_role_grants(
            self.label, PRACTITIONER, "people.reveal_identity", "people.search_signpost"
        )
