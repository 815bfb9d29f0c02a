from django import template

from haven.claims.labels import rule_label as _rule_label
from haven.claims.models import DeadlineRule

register = template.Library()


@register.filter
def rule_label(label: str) -> str:
    """`{{ rule.label|rule_label }}`: the seeded deadline rules' labels in the reader's language."""
    return _rule_label(label)


@register.filter
def responsible_label(value: str) -> str:
    """`{{ row.responsible|responsible_label }}`: whose step a deadline is (claimant or counsel, Minister, Board)."""
    try:
        return str(DeadlineRule.Responsible(value).label)
    except ValueError:
        return value
