"""The date-of-birth inputs of every form that records a person: how precise the date is (radio buttons), then a
year, a month and a day, of which the page shows only those the precision needs (haven.css hides the others);
`birth_date_from_parts` makes them the date the services store (1 January of the year, the 1st of the month)."""
from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from haven.people.models import DatePrecision

EARLIEST_YEAR = 1900


class BirthDateWidget(forms.MultiWidget):
    template_name = "people/birth_date_widget.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        months = [("", _("— month —")), *((number, name) for number, name in MONTHS.items())]
        super().__init__([
            forms.NumberInput(attrs={"min": EARLIEST_YEAR, "max": 2100, "inputmode": "numeric",
                                     "autocomplete": "bday-year", "class": "input-year"}),
            forms.Select(choices=months, attrs={"autocomplete": "bday-month"}),
            forms.NumberInput(attrs={"min": 1, "max": 31, "inputmode": "numeric", "autocomplete": "bday-day",
                                     "class": "input-day"}),
        ], attrs)

    def value_from_datadict(self, data, files, name):
        """The three parts; a post that gives the date as one ISO value under the field's own name (a script, an
        older page) is read as its parts."""
        if name in data and not any(f"{name}_{index}" in data for index in range(3)):
            value = data.get(name)
            parts = self.decompress(value)
            # Not an ISO date: handed on as the year, which then fails as an invalid date.
            return [value, None, None] if value and parts == [None, None, None] else parts
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)

    def decompress(self, value):
        """A stored date (or its ISO text, as a hidden initial value comes back) as year, month and day."""
        if isinstance(value, str) and value:
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, dt.date):
            return [value.year, value.month, value.day]
        return [None, None, None]


class BirthDateField(forms.MultiValueField):
    """Year, month and day as numbers (each may be empty); `birth_date_from_parts` checks them against the
    precision chosen in the same form."""

    widget = BirthDateWidget

    def __init__(self, **kwargs):
        parts = (forms.IntegerField(min_value=EARLIEST_YEAR, max_value=2100, required=False,
                                    error_messages={"invalid": _("Enter a valid date.")}),
                 forms.TypedChoiceField(choices=[(str(n), str(n)) for n in MONTHS], coerce=int, empty_value=None,
                                        required=False),
                 forms.IntegerField(min_value=1, max_value=31, required=False))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Give only what is known: the year, the month and year, or the full date."))
        super().__init__(parts, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        return tuple(data_list) if data_list and any(part is not None for part in data_list) else None


def precision_field(label=None) -> forms.ChoiceField:
    """Not required: a post without it (a script, an older page) means "exact" when a date is given, else
    "unknown" (as the services read a date sent alone)."""
    return forms.ChoiceField(label=label or _("How precise is the date of birth?"), choices=DatePrecision.choices,
                             initial=DatePrecision.EXACT, required=False,
                             widget=forms.RadioSelect(attrs={"class": "birth-precision"}))


def birth_date_from_parts(parts: tuple | None, precision: str) -> dt.date | None:
    """The date to store for `precision`: what it needs must be given; the parts it does not need are left out
    (the page hides them)."""
    year, month, day = parts or (None, None, None)
    if precision == DatePrecision.UNKNOWN:
        return None
    if year is None:
        raise ValidationError(_("Give the year of birth, or choose “Unknown”."), code="required")
    if precision == DatePrecision.YEAR:
        return dt.date(year, 1, 1)
    if month is None:
        raise ValidationError(_("Give the month of birth, or choose “Year known”."), code="required")
    if precision == DatePrecision.MONTH:
        return dt.date(year, month, 1)
    if day is None:
        raise ValidationError(_("Give the day of birth, or choose “Month and year known”."), code="required")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(_("%(year)d-%(month)02d-%(day)02d is not a real date."), code="invalid",
                              params={"year": year, "month": month, "day": day}) from None


def clean_birth_date(form: forms.Form, date_field: str = "birth_date",
                     precision_field_name: str = "birth_date_precision") -> None:
    """In a form's clean(): turn the parts into the date (or an error on the date's fieldset)."""
    data = form.cleaned_data
    if date_field in form.errors or precision_field_name in form.errors:
        return
    if not data.get(precision_field_name):
        data[precision_field_name] = DatePrecision.EXACT if data.get(date_field) else DatePrecision.UNKNOWN
    try:
        data[date_field] = birth_date_from_parts(data.get(date_field), data[precision_field_name])
    except ValidationError as error:
        form.add_error(date_field, error)
