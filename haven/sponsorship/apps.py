from django.apps import AppConfig


class SponsorshipConfig(AppConfig):
    name = "haven.sponsorship"
    label = "sponsorship"
    verbose_name = "Private sponsorship: sponsors, applications, eligibility and settlement budgets"
