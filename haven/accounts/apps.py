from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "haven.accounts"
    label = "accounts"
    verbose_name = "Organizations, users and roles"

    def ready(self):
        from haven.accounts import receivers  # noqa: F401  (connects the sign-in audit receivers)
