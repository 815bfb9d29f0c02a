from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "haven.stats"
    label = "stats"
    verbose_name = "Statistics and reports"

    def ready(self) -> None:
        # Importing the figure modules registers their reports (see haven.stats.registry).
        from haven.stats import figures  # noqa: F401
