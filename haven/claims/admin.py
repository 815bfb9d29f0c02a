"""Administrators edit deadline rules here; a saved change recomputes every claim's deadlines at once."""
from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext as _

from haven.claims import services
from haven.claims.models import DeadlineRule


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ("key", "trigger", "period", "unit", "direction", "rollover", "skip_fc_recess",
                    "effective_from", "effective_to", "citation", "active")
    list_filter = ("active", "unit", "direction", "responsible")
    search_fields = ("key", "label", "citation", "note")
    ordering = ("key", "effective_from")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("key", "label", "active", "responsible")}),
        (_("Period"), {"fields": ("trigger", "period", "unit", "direction", "rollover", "skip_fc_recess")}),
        (_("In force"), {"fields": ("effective_from", "effective_to")}),
        (_("Source"), {"fields": ("citation", "source_url", "note")}),
        (_("Completion"), {"fields": ("completed_by",)}),
    )

    def has_delete_permission(self, request, obj=None):
        # Rules that produced deadlines are ended (effective_to) or deactivated, never deleted.
        return False

    def save_model(self, request, obj, form, change):
        stats = services.save_rule(actor=request.user, rule=obj, changed_fields=form.changed_data)
        self.message_user(request, _("Deadlines recomputed: %(updated)s changed, %(created)s added, "
                                     "%(deleted)s removed.") % stats, messages.INFO)
