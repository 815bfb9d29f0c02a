"""Form helpers shared by every app's forms and views: put a service's ValidationError on a form, a date input,
a country select and the upload size limit. Generic on purpose: any app may import this module, and it imports
no domain app's services or models (`haven.web` is the shell, not a library)."""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from haven.people.codes import country_choices


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, ValidationError(errors))
    else:
        form.add_error(None, error)


def country_field(label, *, required: bool = False) -> forms.ChoiceField:
    # A callable: the choices are built when a form is shown, named and sorted in the reader's language.
    empty = _("— not known —") if not required else _("— choose —")
    return forms.ChoiceField(label=label, required=required, choices=lambda: [("", empty), *country_choices()])


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def upload_within_limit(upload):
    """An uploaded file no larger than HAVEN_MAX_UPLOAD_BYTES, or a ValidationError that says the limit."""
    if upload.size > settings.HAVEN_MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than %(mb)d MB."),
                              params={"mb": settings.HAVEN_MAX_UPLOAD_BYTES // (1024 * 1024)})
    return upload
