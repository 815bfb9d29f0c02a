from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.forms import upload_within_limit


class PeopleImportForm(forms.Form):
    organization = forms.TypedChoiceField(label=_("Organization"), coerce=int)
    file = forms.FileField(label=_("Spreadsheet (CSV or Excel)"),
                           help_text=_("One row per person; the people of a household share a household key."))
    check_only = forms.BooleanField(label=_("Check the file only: write nothing"), required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = {organization.pk: organization for organization in organizations}
        self.fields["organization"].choices = [(pk, org.name) for pk, org in self.organizations.items()]

    def clean_organization(self):
        return self.organizations[self.cleaned_data["organization"]]

    def clean_file(self):
        return upload_within_limit(self.cleaned_data["file"])
