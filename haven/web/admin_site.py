"""The Django admin, with every change a platform superuser makes written to the hash-chained audit log.

`haven.web.admin_apps.HavenAdminConfig` replaces `django.contrib.admin` in INSTALLED_APPS and makes `HavenAdminSite` the default
site; its `register` gives every ModelAdmin (Haven's and the libraries', for any model) the `AuditedAdmin`
hooks. An admin change is audited like a service's: in the admin's own transaction, with the acting superuser,
the record, and the fields changed (secrets redacted). The LogEntry table Django keeps beside it is not chained,
so it is not what anyone relies on."""
from __future__ import annotations

from django.contrib import admin
from django.db import transaction

from haven.audit.models import Action
from haven.audit.services import ADMIN_SUMMARY, diff, event_for, record_events


def _is_secret(name: str) -> bool:
    return "password" in name or "key" in name or "secret" in name or "token" in name


def form_changes(form, *, created: bool) -> dict:
    """The fields the admin form changed, old → new; secrets redacted."""
    names = list(form.changed_data)
    old = {} if created else {name: form.initial.get(name) for name in names}
    new = {name: form.cleaned_data.get(name) for name in names}
    return diff(old, new, sensitive=[name for name in names if _is_secret(name)])


class AuditedAdmin:
    """ModelAdmin hooks (mixed into every registered admin class) that write the audit rows."""

    def save_model(self, request, obj, form, change):
        changes = form_changes(form, created=not change)
        super().save_model(request, obj, form, change)
        record_events(actor=request.user, events=[event_for(Action.UPDATE if change else Action.CREATE, obj,
                                                            summary=ADMIN_SUMMARY, changes=changes)])

    def save_formset(self, request, form, formset, change):
        """Inline records (a user's memberships ...): one row for each one added, changed or deleted."""
        super().save_formset(request, form, formset, change)
        events = [event_for(Action.CREATE, obj, summary=ADMIN_SUMMARY) for obj in formset.new_objects]
        events += [event_for(Action.UPDATE, obj, summary=ADMIN_SUMMARY, changes={"fields": sorted(fields)})
                   for obj, fields in formset.changed_objects]
        events += [event_for(Action.DELETE, obj, summary=ADMIN_SUMMARY) for obj in formset.deleted_objects]
        record_events(actor=request.user, events=events)

    def delete_model(self, request, obj):
        with transaction.atomic():
            record_events(actor=request.user, events=[event_for(Action.DELETE, obj, summary=ADMIN_SUMMARY)])
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            record_events(actor=request.user, events=[event_for(Action.DELETE, obj, summary=ADMIN_SUMMARY)
                                                      for obj in queryset])
            super().delete_queryset(request, queryset)


class HavenAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        base = admin_class or admin.ModelAdmin
        if not issubclass(base, AuditedAdmin):
            base = type(base.__name__, (AuditedAdmin, base), {"__module__": base.__module__,
                                                            "__doc__": base.__doc__})
        super().register(model_or_iterable, base, **options)
