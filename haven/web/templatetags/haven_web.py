"""Template helpers of the case and person screens."""
from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

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
_PLAIN_WIDGETS = (forms.Select, forms.TextInput, forms.CheckboxInput)


@register.simple_tag
def filter_fields(form: forms.Form) -> str:
    """The fields of a list's filter form, with the same markup as includes/form.html, built in Python.

    The case list renders its filter form on every request; through the template renderer (one template per
    field, per widget and per <option>) that was about a third of the page's CPU at 100,000 persons (see
    BENCHMARKS.md). Select, text and checkbox widgets only: filter forms have no other kind."""
    parts = [str(field) for field in form.hidden_fields()]
    for field in form.visible_fields():
        help_text = (format_html('<div class="helptext" id="{}_helptext">{}</div>', field.auto_id, field.help_text)
                     if field.help_text else "")
        parts.append(format_html('<div class="field{}{}">{}{}{}{}</div>',
                                 " field--error" if field.errors else "",
                                 " field--required" if field.field.required else "",
                                 field.label_tag(), help_text, field.errors, _plain_widget(field)))
    return mark_safe("\n".join(parts))


def _plain_widget(field) -> str:
    widget = field.field.widget
    if not isinstance(widget, _PLAIN_WIDGETS) or isinstance(widget, forms.SelectMultiple):
        return field.as_widget()
    attrs = widget.build_attrs(widget.attrs, field.build_widget_attrs({"id": field.auto_id}))
    if isinstance(widget, forms.Select):
        selected = {str(value) for value in widget.format_value(field.value())}
        options = format_html_join("", '<option value="{}"{}>{}</option>',
                                   ((value, mark_safe(" selected") if str(value) in selected else "", label)
                                    for value, label in widget.choices))
        return format_html('<select name="{}"{}>{}</select>', field.html_name, flatatt(attrs), options)
    if isinstance(widget, forms.CheckboxInput):
        if widget.check_test(field.value()):
            attrs["checked"] = True
        return format_html('<input type="checkbox" name="{}"{}>', field.html_name, flatatt(attrs))
    value = widget.format_value(field.value())
    if value is not None:
        attrs["value"] = value
    return format_html('<input type="{}" name="{}"{}>', widget.input_type, field.html_name, flatatt(attrs))
