"""Administrators edit deadline rules here; a saved change recomputes every claim's deadlines at once."""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from haven.claims import services
from haven.claims.models import DeadlineRule
from haven.records import EditConflict, check_version


class DeadlineRuleForm(forms.ModelForm):
    """The rule form remembers the version it was opened on: an administrator who saves after another one
    changed the rule is told so, with nothing saved, instead of undoing the other change unseen."""

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = DeadlineRule
        fields = ("key",)  # the admin's fieldsets choose the fields (with its formfield overrides)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edit_version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            try:
                check_version(self.instance, data.get("edit_version"))
            except EditConflict as conflict:
                raise ValidationError(_("%(message)s Reload the page to see the rule as it is now.")
                                      % {"message": conflict.message}) from None
        return data


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ("key", "trigger", "route", "period", "unit", "direction", "rollover", "skip_fc_recess",
                    "effective_from", "effective_to", "citation", "active")
    list_filter = ("active", "unit", "direction", "responsible", "route")
    search_fields = ("key", "label", "citation", "note")
    ordering = ("key", "effective_from")
    form = DeadlineRuleForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("key", "label", "active", "responsible")}),
        (_("Period"), {"fields": ("trigger", "route", "period", "unit", "direction", "rollover", "skip_fc_recess")}),
        (_("In force"), {"fields": ("effective_from", "effective_to")}),
        (_("Source"), {"fields": ("citation", "source_url", "note")}),
        (_("Completion"), {"fields": ("completed_by", "closed_by", "edit_version")}),
    )

    def has_delete_permission(self, request, obj=None):
        # Rules that produced deadlines are ended (effective_to) or deactivated, never deleted.
        return False

    def save_model(self, request, obj, form, change):
        # The form checked the version already; save_rule checks it again under the row's lock.
        stats = services.save_rule(actor=request.user, rule=obj, changed_fields=form.changed_data,
                                   expected_version=form.cleaned_data.get("edit_version") if change else None)
        self.message_user(request, _("Deadlines recomputed: %(updated)s changed, %(created)s added, "
                                     "%(deleted)s removed.") % stats, messages.INFO)
