from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Role, Team
from haven.records.text import SafeTextForm


class LoginForm(AuthenticationForm):
    """Django's authentication form (it passes the request on, which django-axes needs)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Username or e-mail")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none",
                                                     "spellcheck": "false"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code"),
        max_length=12,
        help_text=_("The code shown by your authenticator app. It changes every 30 seconds."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "pattern": "[0-9 ]*", "autofocus": True, "spellcheck": "false"}),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit() or not 6 <= len(token) <= 8:
            raise forms.ValidationError(_("Enter the 6-digit code from your authenticator app."))
        return token


class LanguageForm(forms.Form):
    preferred_language = forms.ChoiceField(label=_("Preferred language"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = [
            ("", _("Browser default")),
            *((code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES),
        ]


class TokenActionForm(forms.Form):
    ISSUE, REVOKE = "issue", "revoke"
    action = forms.ChoiceField(choices=[(ISSUE, ISSUE), (REVOKE, REVOKE)])


class MemberForm(SafeTextForm):
    """A member's role and, for a volunteer, the sponsor group whose cases they see. The organization's sponsor
    groups are read once per page and given to every row's form."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    team = forms.TypedChoiceField(label=_("Sponsor group"), coerce=int, empty_value=None, required=False,
                                  help_text=_("Required for a sponsor-group volunteer: they see its cases only."))
    # The membership's version when the page was shown (haven.records.versioning); not on the add form.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, sponsor_groups: list[Team], **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {group.pk: group for group in sponsor_groups}
        self.fields["team"].choices = [("", _("— none —")), *((group.pk, group.name) for group in sponsor_groups)]

    def clean_team(self) -> Team | None:
        pk = self.cleaned_data["team"]
        return None if pk is None else self.groups[pk]


class MemberAddForm(MemberForm):
    username = forms.CharField(label=_("Username"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none",
                                                             "spellcheck": "false"}))
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    field_order = ["username", "first_name", "last_name", "email", "role", "team"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]
        # No role preselected: the first in the list is administrator.
        self.fields["role"].choices = [("", _("— choose —")), *Role.choices]
