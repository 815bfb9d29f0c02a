"""Template helpers of the case and person screens."""
from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

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
