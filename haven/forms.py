"""Form helpers shared by every app's forms and views: put a service's ValidationError on a form, a date input,
a country select, the upload size limit, and an edit form's version with the message of a refused stale save
(haven.records.versioning). Generic on purpose: any app may import this module, and it imports
no domain app's services or models (`haven.web` is the shell, not a library)."""
from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils import formats
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


def version_field() -> forms.IntegerField:
    """The hidden version an edit form was opened at. Not required: a post without it (an old page, a script) saves
    unchecked, as before versions existed, rather than failing on a field the writer cannot see."""
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


def _shown(field: forms.Field, value) -> str:
    """A stored value as the reader sees it in the form: a choice's label, a local date, never a raw code."""
    if value in (None, ""):
        return str(_("(empty)"))
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(value)


def show_edit_conflict(form: forms.Form, current, *, fields) -> None:
    """Someone saved the record after this writer opened the form (EditConflict; nothing was saved): the form keeps
    the writer's values, names the stored ones of `fields`, and now carries the current version, so that saving it
    again applies the writer's values knowingly over what they have now seen. (Domain apps cannot use the web
    shell's side-by-side conflict page, haven.web.conflicts.)"""
    stored = "; ".join(f"{form.fields[name].label}: {_shown(form.fields[name], getattr(current, name))}"
                       for name in fields)
    form.add_error(None, _("Someone else changed this record after you opened it. Nothing was saved. It now reads: "
                           "%(current)s. Check your values below and save again to apply them.") % {"current": stored})
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = current.version
