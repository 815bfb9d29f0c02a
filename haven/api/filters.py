"""Query-string filters. They narrow querysets that already start from
haven.cases.access.visible_*, so no filter can widen what a user sees."""
from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from haven.api.schema import SAFE_TEXT_PATTERN
from haven.cases.access import MAX_PK
from haven.cases.models import Case, CaseAssignment
from haven.cases.selectors import search_condition
from haven.people.models import Household, Person
from haven.people.search import key_contains, normalize
from haven.records.text import use_safe_text_validator


class IdField(forms.IntegerField):
    """A record id in a query string: a whole number from 1 to the largest 64-bit id. Anything else (text,
    `1e20`, a number no column can hold) is one clear 400, never a query the database cannot run."""

    def __init__(self, **kwargs):
        message = _("Enter a record id: a whole number from 1 to 9223372036854775807.")
        kwargs.setdefault("error_messages", {"invalid": message, "min_value": message, "max_value": message})
        super().__init__(min_value=1, max_value=MAX_PK, **kwargs)

    def to_python(self, value):
        # ASCII digits only, as haven.cases.access.parse_pk reads ids in URLs: int() would also take "١٢".
        text = str(value).strip() if value is not None else ""
        if text and not (text.isascii() and text.isdigit()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(text)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_PK})
class IdFilter(django_filters.NumberFilter):
    """Every filter by a record's id (organization, sponsor group, household ...) in every filterset."""

    field_class = IdField


class SearchField(forms.CharField):
    """Search text refuses control characters with the message stored text gets (haven.records.text), not only
    NUL with Django's own."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        use_safe_text_validator(self)


@extend_schema_field({"type": "string", "pattern": SAFE_TEXT_PATTERN})
class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


def search_key_filter(queryset, value: str):
    """Match the normalized query (accents, case, hyphens and spaces folded) inside the search key,
    as the web interface's case search does (haven.cases.selectors.search_condition):
    명, Myŏng and Myong find the same people."""
    key = normalize(value)
    return queryset.filter(key_contains(key)) if key else queryset


class CaseFilter(django_filters.FilterSet):
    q = SearchFilter(method="filter_q", label=_("Search references, titles and names (any script)"))
    status = django_filters.ChoiceFilter(choices=Case.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Case.Kind.choices)
    organization = IdFilter(field_name="organization_id")
    sponsor_group = IdFilter(field_name="sponsor_group_id")
    household = IdFilter(field_name="household_id")
    assigned_to_me = django_filters.BooleanFilter(method="filter_assigned_to_me",
                                                  label=_("Only cases assigned to me (or, if false, not)"))

    class Meta:
        model = Case
        fields = ["q", "status", "kind", "organization", "sponsor_group", "household", "assigned_to_me"]

    def filter_q(self, queryset, name, value):
        condition = search_condition(value)
        return queryset if condition is None else queryset.filter(condition)

    def filter_assigned_to_me(self, queryset, name, value):
        mine = CaseAssignment.objects.filter(user=self.request.user).values("case_id")
        return queryset.filter(pk__in=mine) if value else queryset.exclude(pk__in=mine)


class HouseholdFilter(django_filters.FilterSet):
    q = SearchFilter(method="filter_q", label=_("Search the reference, name or members' names"))
    organization = IdFilter(field_name="organization_id")

    class Meta:
        model = Household
        fields = ["q", "organization"]

    def filter_q(self, queryset, name, value):
        key = normalize(value)
        if not key:
            return queryset
        members = Person.objects.filter(key_contains(key)).values("household_id")
        return queryset.filter(Q(reference__icontains=value.strip()) | Q(name__icontains=value.strip())
                               | Q(pk__in=members))


class PersonFilter(django_filters.FilterSet):
    q = SearchFilter(method="filter_q", label=_("Search names (any script, any spelling variant)"))
    household = IdFilter(field_name="household_id")
    relationship = django_filters.ChoiceFilter(choices=Person._meta.get_field("relationship").choices)

    class Meta:
        model = Person
        fields = ["q", "household", "relationship"]

    def filter_q(self, queryset, name, value):
        return search_key_filter(queryset, value)
