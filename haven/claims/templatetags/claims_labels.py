from django import template

from haven.claims.labels import rule_label as _rule_label

register = template.Library()


@register.filter
def rule_label(label: str) -> str:
    """`{{ rule.label|rule_label }}`: the seeded deadline rules' labels in the reader's language."""
    return _rule_label(label)
