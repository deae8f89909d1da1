from django.apps import AppConfig


class AsbConfig(AppConfig):
    name = "csphub.asb"
    label = "asb"
    verbose_name = "ASB case management"

    def ready(self) -> None:
        from csphub.asb.selectors import case_section
        from csphub.panels.sections import register_case_section

        # Drawn on the page of every case of an ASB panel; panels knows nothing of asb.
        register_case_section(
            self.label, order=100, template="asb/case_section.html", context=case_section
        )
