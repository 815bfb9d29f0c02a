from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "haven.matching"
    label = "matching"
    verbose_name = "Duplicate detection"
    default_auto_field = "django.db.models.BigAutoField"
