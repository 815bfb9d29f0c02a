"""factory_boy factories for the registry's object graph (test set-up only:
they bypass services, so they write no audit rows)."""
from __future__ import annotations

import datetime as dt

import factory

from haven.accounts.models import Membership, Organization, Role, Team, User
from haven.cases.models import Attachment, AttachmentContent, Case, CaseAssignment, Note
from haven.people.selectors import default_relationship
from haven.people.models import Household, Person


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = Organization.Kind.SPONSORSHIP


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Sponsor group {n}")
    kind = Team.Kind.SPONSOR_GROUP


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.org")
    email = factory.LazyAttribute(lambda o: o.username)
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.CASEWORKER


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    organization = factory.SubFactory(OrganizationFactory)
    reference = factory.Sequence(lambda n: f"HH-{n:05d}")
    name = factory.Sequence(lambda n: f"Household {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    household = factory.SubFactory(HouseholdFactory)
    family_name = "Ri"
    given_name = factory.Sequence(lambda n: f"Myong-chol {n}")
    family_name_hangul = "리"
    given_name_hangul = "명철"
    sex = "M"
    birth_date = dt.date(1985, 3, 14)
    birth_date_precision = factory.LazyAttribute(lambda o: "exact" if o.birth_date else "unknown")
    # The household's principal applicant while it has none, a relative after (one principal per household).
    relationship = factory.LazyAttribute(lambda o: default_relationship(o.household))


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    household = factory.SubFactory(HouseholdFactory)
    organization = factory.LazyAttribute(lambda o: o.household.organization)
    reference = factory.Sequence(lambda n: f"C-{n:05d}")
    title = factory.LazyAttribute(lambda o: o.household.name)
    opened_on = dt.date(2026, 1, 15)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseAssignment

    case = factory.SubFactory(CaseFactory)
    user = factory.SubFactory(UserFactory)


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    case = factory.SubFactory(CaseFactory)
    author = factory.SubFactory(UserFactory)
    body = "Met the family at the airport; interpreter booked for Tuesday."
    confidential = True


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    uploaded_by = factory.SubFactory(UserFactory)
    filename = "boc-narrative.pdf"
    content_type = "application/pdf"
    size = 11
    sha256 = "0" * 64
    confidential = True

    @factory.post_generation
    def content(obj, create, extracted, **kwargs):
        if create:
            AttachmentContent.objects.create(attachment=obj, data=extracted or b"%PDF-1.4 ok")
