from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "csphub.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from csphub.core import registry
        from csphub.search.selectors import may_search

        # The search box on every signed-in page (base.html, through core's context processor).
        registry.register_search_page(self.label, url_name="search:results", offered_to=may_search)
