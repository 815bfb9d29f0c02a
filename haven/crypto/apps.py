from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "haven.crypto"
    label = "crypto"
    verbose_name = "Encryption at rest"
