from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "haven.transfer"
    label = "transfer"
    verbose_name = "Bulk import and export"
