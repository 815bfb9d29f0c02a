"""Query-string filters. They narrow querysets that already start from
haven.cases.access.visible_*, so no filter can widen what a user sees."""
from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.cases.models import Case, CaseAssignment
from haven.cases.selectors import search_condition
from haven.people.models import Household, Person
from haven.people.search import key_contains, normalize


def search_key_filter(queryset, value: str):
    """Match the normalized query (accents, case, hyphens and spaces folded) inside the search key,
    as the web interface's case search does (haven.cases.selectors.search_condition):
    명, Myŏng and Myong find the same people."""
    key = normalize(value)
    return queryset.filter(key_contains(key)) if key else queryset


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search references, titles and names (any script)"))
    status = django_filters.ChoiceFilter(choices=Case.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Case.Kind.choices)
    organization = django_filters.NumberFilter(field_name="organization_id")
    sponsor_group = django_filters.NumberFilter(field_name="sponsor_group_id")
    household = django_filters.NumberFilter(field_name="household_id")
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
    q = django_filters.CharFilter(method="filter_q", label=_("Search the reference, name or members' names"))
    organization = django_filters.NumberFilter(field_name="organization_id")

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
    q = django_filters.CharFilter(method="filter_q", label=_("Search names (any script, any spelling variant)"))
    household = django_filters.NumberFilter(field_name="household_id")
    relationship = django_filters.ChoiceFilter(choices=Person._meta.get_field("relationship").choices)

    class Meta:
        model = Person
        fields = ["q", "household", "relationship"]

    def filter_q(self, queryset, name, value):
        return search_key_filter(queryset, value)
