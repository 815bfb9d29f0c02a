"""The case list's search and filters, shared by the case list page (haven.web) and the export (haven.transfer)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.cases.models import Case


class CaseFilterForm(forms.Form):
    """The list's search and filters, read from GET. Invalid values are ignored, not fatal."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                                      "placeholder": _("Name in any script, reference…")}))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *Case.Status.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *Case.Kind.choices])
    organization = forms.TypedChoiceField(label=_("Organization"), required=False, coerce=int, empty_value=None)
    sponsor_group = forms.TypedChoiceField(label=_("Sponsor group"), required=False, coerce=int, empty_value=None)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, organizations, sponsor_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [("", _("Any organization")), *organizations]
        self.fields["sponsor_group"].choices = [("", _("Any sponsor group")), *sponsor_groups]

    def values(self) -> dict:
        """Cleaned values of the fields that validated (a bad value drops that filter only)."""
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items()
                if name not in self.errors and value not in (None, "", False)}
