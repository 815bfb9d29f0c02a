from django import template

from haven.claims.labels import rule_label as _rule_label
from haven.claims.triggers import TRIGGERS

register = template.Library()


@register.filter
def rule_label(label: str) -> str:
    """`{{ rule.label|rule_label }}`: the seeded deadline rules' labels in the reader's language."""
    return _rule_label(label)


@register.filter
def trigger_label(key: str) -> str:
    """`{{ deadline.trigger|trigger_label }}`: the event that started a deadline, in the reader's language (a rule
    started by another rule's due date shows that rule's key)."""
    label = TRIGGERS.get(key)
    return str(label) if label is not None else key
