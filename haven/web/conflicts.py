"""Edit forms that remember what they were opened on, and the page a writer gets when someone saved first.

An edit form carries the record's version (hidden) and, for each field, the value it showed (Django's
`show_hidden_initial`), so that when the service answers EditConflict (haven.records.versioning) the page can tell
the fields this writer changed from the ones someone else changed. It shows both versions side by side and offers
the current version with this writer's changes applied on top: the first writer's change is never reverted
unseen, and the second writer's is not lost."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.forms.boundfield import BoundField
from django.http import Http404
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from haven.audit.services import record_views
from haven.records import EditConflict

EMPTY = _("(empty)")


class _BaseValueBoundField(BoundField):
    """Renders a field's hidden initial from the form's `base` values when it has them: the reapply form shows the
    writer's values but remembers the current stored ones as what it was opened on."""

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        base = getattr(self.form, "base", None)
        if only_initial and base is not None and self.name in base and not self.form.is_bound:
            widget = widget or self.field.hidden_widget()
            return widget.render(self.html_initial_name, self.field.prepare_value(base[self.name]),
                                 attrs={"id": self.html_initial_id}, renderer=self.form.renderer)
        return super().as_widget(widget, attrs, only_initial)


class VersionedForm(forms.Form):
    """Base of the edit forms of versioned records (haven.records.Versioned)."""

    bound_field_class = _BaseValueBoundField
    # Not required: a post without it (an old page, a script) saves unchecked, as before versions existed, rather
    # than failing on a field the writer cannot see.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __new__(cls, *args, **kwargs):
        form = super().__new__(cls)
        # The keywords as the caller gave them, before any subclass's __init__ takes its own (case=...): the reapply
        # form is built with the same ones (record, sponsor groups, confidentiality) as this one.
        form._form_kwargs = {key: value for key, value in kwargs.items() if key not in ("initial", "base", "files")}
        return form

    def __init__(self, data=None, *args, base: dict | None = None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.base = base
        for name, field in self.fields.items():
            if name != "version":
                field.show_hidden_initial = True

    @classmethod
    def initial_for(cls, obj: models.Model) -> dict:
        """The form's values for `obj` as stored, version included."""
        return {name: getattr(obj, name) for name in cls.base_fields}

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def edited_values(self) -> dict[str, Any]:
        """The cleaned values the service takes (the version goes separately, as `expected_version`)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    def changed_by_writer(self) -> list[str]:
        """The fields this writer changed from what the form showed them."""
        return [name for name in self.changed_data if name != "version"]

    def reapply_form(self, current: models.Model) -> VersionedForm:
        """The current version with this writer's changed fields set to their values, based on the current version."""
        stored = self.initial_for(current)
        values = {**stored, **{name: self.cleaned_data[name] for name in self.changed_by_writer()
                               if name in self.cleaned_data}}
        return type(self)(initial=values, base=stored, **self._form_kwargs)


@dataclass(frozen=True)
class ConflictRow:
    label: str
    mine: str
    current: str
    changed_by_me: bool


def shown(field: forms.Field, value: Any) -> str:
    """A value as the reader should see it: choice labels, local dates, yes or no, never a raw code."""
    if value in (None, ""):
        return str(EMPTY)
    if isinstance(field, forms.BooleanField):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(value)


def conflict_rows(form: VersionedForm, current: models.Model) -> list[ConflictRow]:
    """The fields whose submitted value differs from the stored one, in the form's order."""
    stored, changed = form.initial_for(current), set(form.changed_by_writer())
    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in form.cleaned_data:
            continue
        mine, now = shown(field, form.cleaned_data[name]), shown(field, stored.get(name))
        if mine != now:
            rows.append(ConflictRow(str(field.label or name), mine, now, name in changed))
    return rows


def conflict_page(request, conflict: EditConflict, *, form: VersionedForm, heading: str, cancel_url: str,
                  case_id: int | None = None):
    """Answer 409 with both versions and the reapply form. The page shows the stored record, so it is audited."""
    current = conflict.current
    if current is None:  # removed meanwhile: nothing left to compare with, as for a record that never existed
        raise Http404("No such record.")
    record_views(actor=request.user, objects=[(current, case_id)])
    return render(request, "web/conflict.html", {
        "heading": heading, "message": conflict.message, "rows": conflict_rows(form, current),
        "reapply": form.reapply_form(current), "cancel_url": cancel_url, "current": current,
    }, status=409)
