from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "haven.claims"
    label = "claims"
    verbose_name = "Protection claims and deadlines"
