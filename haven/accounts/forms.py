from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _


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
