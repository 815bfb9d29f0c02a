"""Template helpers of the case and person screens."""
from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms, template
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haven.people.codes import country_name as _country_name
from haven.people.codes import language_name as _language_name

register = template.Library()


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def country_name(code: str) -> str:
    return _country_name(code) if code else ""


@register.filter
def language_name(code: str) -> str:
    return _language_name(code) if code else ""


# What a case's history calls each kind of record it lists (an audit entry names it "app_label.model").
RECORD_KINDS = {
    "cases.case": _("Case"),
    "cases.note": _("Note"),
    "cases.attachment": _("File"),
    "cases.caseassignment": _("Worker assignment"),
    "people.household": _("Household"),
    "people.person": _("Person"),
    "people.identitydocument": _("Identity document"),
    "claims.claim": _("Claim"),
    "claims.claimevent": _("Step"),
    "claims.evidenceitem": _("Evidence item"),
    "claims.legalissue": _("Legal issue"),
}


@register.filter
def record_kind(object_type: str) -> str:
    """`people.person` → "Person", in the reader's language; another model by its verbose name."""
    if object_type in RECORD_KINDS:
        return str(RECORD_KINDS[object_type])
    try:
        return capfirst(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


@register.simple_tag(takes_context=True)
def sort_querystring(context, current: str, key: str) -> str:
    """The current query string with `sort` set to `key`, or its reverse when already sorted by it; page reset."""
    params = context["request"].GET.copy()
    params["sort"] = f"-{key}" if current == key else key
    params.pop("page", None)
    return "?" + params.urlencode()


@register.simple_tag
def sort_aria(current: str, key: str) -> str:
    if current == key:
        return format_html('aria-sort="{}"', "ascending")
    if current == f"-{key}":
        return format_html('aria-sort="{}"', "descending")
    return ""


@register.filter
def change_rows(changes: Any) -> list[tuple[str, Any, Any]]:
    """An audit entry's changes as (field, old, new) rows, whatever shape they were stored in."""
    if not isinstance(changes, dict):
        return []
    rows = []
    for name, value in changes.items():
        if isinstance(value, dict) and {"old", "new"} <= set(value):
            rows.append((name, value["old"], value["new"]))
        else:
            rows.append((name, "", value))
    return rows


# Widgets `filter_fields` renders itself; anything else goes through Django's form renderer.
_PLAIN_WIDGETS = (forms.Select, forms.TextInput, forms.CheckboxInput, forms.HiddenInput)


@register.simple_tag
def filter_fields(form: forms.Form) -> str:
    """The fields of a list's filter form, with the same markup as includes/form.html, built in Python.

    The case list renders its filter form on every request; through the template renderer (one template per
    field, per label, per error list and per widget) that was about a third of the page's CPU at 100,000 persons
    (see BENCHMARKS.md). Select, text, hidden and checkbox widgets only: filter forms have no other kind."""
    parts = [str(field) if field.field.show_hidden_initial else _plain_widget(field) for field in form.hidden_fields()]
    for field in form.visible_fields():
        help_text = (format_html('<div class="helptext" id="{}_helptext">{}</div>', field.auto_id, field.help_text)
                     if field.help_text else "")
        errors = field.errors
        parts.append(format_html('<div class="field{}{}">{}{}{}{}</div>',
                                 " field--error" if errors else "",
                                 " field--required" if field.field.required else "",
                                 _label_tag(field), help_text, errors if errors else "", _plain_widget(field)))
    return mark_safe("\n".join(parts))


def _label_tag(field) -> str:
    """`{% if field.label %}{{ field.label_tag }}{% endif %}` of django/forms/field.html, without rendering
    django/forms/label.html (BoundField.label_tag's logic for a field with an id; anything else goes to it)."""
    if not field.label:
        return ""
    widget, form = field.field.widget, field.form
    id_ = widget.attrs.get("id") or field.auto_id
    if not id_ or (field.field.required and hasattr(form, "required_css_class")):
        return field.label_tag()
    contents = _escape(field.label)
    suffix = field.field.label_suffix if field.field.label_suffix is not None else form.label_suffix
    if suffix and contents and str(field.label)[-1] not in gettext(":?.!"):
        contents += _escape(suffix)
    id_for_label = widget.id_for_label(id_)
    return mark_safe(f'<label{_attrs({"for": id_for_label}) if id_for_label else ""}>{contents}</label>')


def _attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html: in order, False left out, True as a bare name."""
    return "".join(f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
                   for name, value in attrs.items() if value is not False)


def _plain_widget(field) -> str:
    """`field.as_widget()`, byte for byte, for the widgets of filter forms (tested); anything else goes to it."""
    widget = field.field.widget
    if (not isinstance(widget, _PLAIN_WIDGETS) or isinstance(widget, forms.SelectMultiple) or field.field.localize
            or (isinstance(widget, forms.Select) and any(isinstance(label, (list, tuple))
                                                         for _value, label in widget.choices))):
        return field.as_widget()  # multiple choice, localized input or option groups: Django's renderer
    # BoundField.as_widget's attributes: the field's (required, aria-describedby...) then the id.
    extra = field.build_widget_attrs({})
    if field.auto_id and "id" not in widget.attrs:
        extra.setdefault("id", field.auto_id)
    attrs = widget.build_attrs(widget.attrs, extra)
    name = _escape(field.html_name)
    if isinstance(widget, forms.Select):  # django/forms/widgets/select.html and select_option.html, no groups
        wanted = set(widget.format_value(field.value()))
        options, chosen = [], False
        for value, label in widget.choices:
            value = "" if value is None else value
            selected = not chosen and str(value) in wanted
            chosen = chosen or selected
            options.append(f'\n  <option value="{_escape(value)}"{" selected" if selected else ""}>'
                           f'{_escape(label)}</option>\n')  # the included option template ends in a newline
        return mark_safe(f'<select name="{name}"{_attrs(attrs)}>{"".join(options)}\n</select>')
    if isinstance(widget, forms.CheckboxInput):
        if widget.check_test(field.value()):
            attrs["checked"] = True
    value = widget.format_value(field.value())  # django/forms/widgets/input.html
    value = f' value="{_escape(value)}"' if value is not None else ""
    return mark_safe(f'<input type="{_escape(widget.input_type)}" name="{name}"{value}{_attrs(attrs)}>')


def _escape(value: Any) -> str:
    """django.utils.html.conditional_escape, without its lazy-argument wrapper (this runs 200 times a page)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


_PK_MARK = 987654321  # stands for the case's pk in the one case_detail URL reversed per page


@register.simple_tag
def case_rows(rows: Iterable, kind_labels: Mapping[str, str], status_labels: Mapping[str, str]) -> str:
    """The <tr> elements of the case list (haven.cases.selectors.CaseRow), built in Python: byte for byte what
    the template loop they replace rendered (tested against it), escaping included.

    Through the template engine the 25 rows cost about 4 ms a page (200 variable lookups, filters and
    escapes, 25 URL reversals); here the URL is reversed once and the labels are the page's."""
    url_start, url_end = (_escape(part) for part in reverse("case_detail", args=[_PK_MARK]).split(str(_PK_MARK)))
    mine = f' <span class="badge">{_escape(gettext("mine"))}</span>'
    number = localize if settings.USE_THOUSAND_SEPARATOR else str  # what {{ n }} prints for an int
    parts = []
    for row in rows:
        opened = row.opened_on.isoformat()
        parts.append(
            f'\n    <tr>\n'
            f'      <td><a href="{url_start}{row.pk}{url_end}">{_escape(row.reference)}</a>'
            f'{mine if row.assigned_to_me else ""}</td>\n'
            f'      <td>{_escape(row.household_name)}</td>\n'
            f'      <td>{_escape(row.organization_name)}</td>\n'
            f'      <td>{_escape(row.sponsor_group_name or "—")}</td>\n'
            f'      <td>{_escape(kind_labels.get(row.kind))}</td>\n'
            f'      <td><span class="badge badge--{_escape(row.status)}">{_escape(status_labels.get(row.status))}'
            f'</span></td>\n'
            f'      <td><time datetime="{opened}">{opened}</time></td>\n'
            f'      <td>{number(row.member_count)}</td>\n'
            f'    </tr>\n  ')
    return mark_safe("".join(parts))
