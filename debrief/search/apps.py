from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "debrief.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from debrief.search import signals  # noqa: F401  (connects the index's receivers)
