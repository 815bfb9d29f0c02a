from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "haven.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self):
        from django.core import checks

        from haven.audit.checks import production_keys

        checks.register(production_keys, checks.Tags.security)
