"""API representations. Read serializers describe records; write serializers
only validate input, and the views hand the validated data to the services
(haven.cases.services, haven.people.services), which save and audit."""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from haven.accounts.models import Organization, Team
from haven.cases.access import visible_households, writable_organizations
from haven.cases.models import Attachment, Case, CaseAssignment, Note
from haven.people.codes import country_code
from haven.people.models import (
    Household,
    IdentityDocument,
    Nationality,
    Person,
    PersonLanguage,
    PersonName,
    Vulnerability,
)
from haven.people.services import PERSON_FIELDS
from haven.records.text import use_safe_text_validator


def _user(serializer_field) -> object:
    request = serializer_field.context.get("request")
    return getattr(request, "user", None)


# --- Related fields restricted to what the requesting user may see ----------
# Records the user may not see are reported exactly like records that do not exist.


class VisibleHouseholdField(serializers.PrimaryKeyRelatedField):
    def __init__(self, **kwargs):
        super().__init__(queryset=Household.objects.all(), **kwargs)

    def get_queryset(self):
        return visible_households(_user(self))


class WritableOrganizationField(serializers.PrimaryKeyRelatedField):
    def __init__(self, **kwargs):
        super().__init__(queryset=Organization.objects.all(), **kwargs)

    def get_queryset(self):
        return writable_organizations(_user(self))


class SponsorGroupField(serializers.PrimaryKeyRelatedField):
    """Sponsor groups of the organizations the user works in or, on update, of the case's organization."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Team.objects.all(), **kwargs)

    def get_queryset(self):
        teams = Team.objects.filter(kind=Team.Kind.SPONSOR_GROUP)
        case = self.context.get("case")
        if case is not None:
            return teams.filter(organization_id=case.organization_id)
        return teams.filter(organization__in=writable_organizations(_user(self)))


# --- Text that may be stored ------------------------------------------------------------
# Control characters and NUL are refused with the services' message (haven.records.text), not DRF's own
# "Null characters are not allowed.", so the API, the forms and the imports say the same thing.


class SafeCharField(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        use_safe_text_validator(self)


class WriteSerializer(serializers.ModelSerializer):
    """A serializer of input: the model's text fields become SafeCharFields."""

    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping,
                                models.CharField: SafeCharField, models.TextField: SafeCharField}


class CountryCodeField(SafeCharField):
    """An ISO 3166-1 alpha-2 code; alpha-3 codes and English names are accepted and converted."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("ISO 3166-1 alpha-2 code (alpha-3 codes and English names are converted)."))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not value:
            return ""
        try:
            return country_code(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


def enum_field(component_name: str, choices) -> type[serializers.ChoiceField]:
    """A ChoiceField class described in the schema by its own named enum, so that the several
    `kind` and `status` choice sets get distinct, stable names."""
    schema = {"type": "string", "enum": [value for value, _label in choices]}
    field_class = type(f"{component_name}Field", (serializers.ChoiceField,), {"__module__": __name__})
    return extend_schema_field(schema, component_name=component_name)(field_class)


CaseKindField = enum_field("CaseKindEnum", Case.Kind.choices)
CaseStatusField = enum_field("CaseStatusEnum", Case.Status.choices)
AttachmentKindField = enum_field("AttachmentKindEnum", Attachment.Kind.choices)
VulnerabilityKindField = enum_field("VulnerabilityKindEnum", Vulnerability.Kind.choices)
DocumentKindField = enum_field("DocumentKindEnum", IdentityDocument.Kind.choices)
NationalityStatusField = enum_field("NationalityStatusEnum", Nationality.Status.choices)


# --- Cases -------------------------------------------------------------------


class MemberSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "display_name", "relationship"]


class HouseholdSummarySerializer(serializers.ModelSerializer):
    members = MemberSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Household
        fields = ["id", "reference", "name", "members"]


class AssignmentSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.SerializerMethodField()

    class Meta:
        model = CaseAssignment
        fields = ["user", "username", "name", "role", "assigned_at"]

    def get_name(self, assignment: CaseAssignment) -> str:
        return assignment.user.get_full_name() or assignment.user.get_username()


class CaseSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    sponsor_group_name = serializers.SerializerMethodField()
    kind = CaseKindField(choices=Case.Kind.choices, read_only=True)
    status = CaseStatusField(choices=Case.Status.choices, read_only=True)
    household = HouseholdSummarySerializer(read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = ["id", "reference", "title", "kind", "status", "organization", "organization_name",
                  "sponsor_group", "sponsor_group_name", "household", "opened_on", "closed_on", "assignments",
                  "created_at", "updated_at"]
        read_only_fields = fields

    def get_sponsor_group_name(self, case: Case) -> str:
        return case.sponsor_group.name if case.sponsor_group_id else ""


class CaseCreateSerializer(WriteSerializer):
    organization = WritableOrganizationField(help_text=_("An organization in which you are staff."))
    household = VisibleHouseholdField(help_text=_("A household of that organization."))
    kind = CaseKindField(choices=Case.Kind.choices, required=False)
    sponsor_group = SponsorGroupField(required=False, allow_null=True)
    opened_on = serializers.DateField(required=False, help_text=_("Defaults to today."))
    assign_me = serializers.BooleanField(default=False, write_only=True,
                                         help_text=_("Assign yourself as lead worker."))

    class Meta:
        model = Case
        fields = ["organization", "household", "reference", "title", "kind", "sponsor_group", "opened_on",
                  "assign_me"]
        validators: list = []


class CaseUpdateSerializer(WriteSerializer):
    kind = CaseKindField(choices=Case.Kind.choices, required=False)
    status = CaseStatusField(choices=Case.Status.choices, required=False)
    sponsor_group = SponsorGroupField(required=False, allow_null=True)

    class Meta:
        model = Case
        fields = ["reference", "title", "kind", "status", "sponsor_group", "opened_on", "closed_on"]
        validators: list = []


# --- Households and persons ------------------------------------------------------


class HouseholdSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    members = MemberSummarySerializer(many=True, read_only=True)
    cases = serializers.SerializerMethodField(help_text=_("The household's cases that you may see."))

    class Meta:
        model = Household
        fields = ["id", "reference", "name", "organization", "organization_name", "members", "cases",
                  "created_at", "updated_at"]
        read_only_fields = fields

    def get_cases(self, household: Household) -> list[int]:
        return [case.pk for case in getattr(household, "visible_cases", [])]


class HouseholdCreateSerializer(WriteSerializer):
    organization = WritableOrganizationField()

    class Meta:
        model = Household
        fields = ["organization", "reference", "name"]
        validators: list = []


class HouseholdUpdateSerializer(WriteSerializer):
    class Meta:
        model = Household
        fields = ["name"]


class PersonNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonName
        fields = ["id", "family_name", "given_name", "script", "source"]
        read_only_fields = fields


class NationalitySerializer(serializers.ModelSerializer):
    status = NationalityStatusField(choices=Nationality.Status.choices, read_only=True)

    class Meta:
        model = Nationality
        fields = ["id", "country", "status", "note"]
        read_only_fields = fields


class PersonLanguageSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonLanguage
        fields = ["id", "language", "level", "needs_interpreter"]
        read_only_fields = fields


class VulnerabilitySerializer(serializers.ModelSerializer):
    kind = VulnerabilityKindField(choices=Vulnerability.Kind.choices, read_only=True)

    class Meta:
        model = Vulnerability
        fields = ["id", "kind", "details", "recorded_at"]
        read_only_fields = fields


class IdentityDocumentSerializer(serializers.ModelSerializer):
    kind = DocumentKindField(choices=IdentityDocument.Kind.choices, read_only=True)

    class Meta:
        model = IdentityDocument
        fields = ["id", "kind", "issuing_country", "number", "family_name_as_written", "given_name_as_written",
                  "issued_on", "expires_on"]
        read_only_fields = fields


PERSON_READ_FIELDS = ["id", "household", "display_name", *PERSON_FIELDS, "names", "nationalities", "languages",
                      "created_at", "updated_at"]


class PersonSerializer(serializers.ModelSerializer):
    """A person as listed: no vulnerabilities or identity documents (see the detail)."""

    names = PersonNameSerializer(many=True, read_only=True)
    nationalities = NationalitySerializer(many=True, read_only=True)
    languages = PersonLanguageSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = PERSON_READ_FIELDS
        read_only_fields = fields


class PersonDetailSerializer(PersonSerializer):
    """A person in full. Vulnerabilities and identity documents are present only for users
    who may see confidential material (not sponsor-group volunteers)."""

    # Output only (this serializer never reads input); not marked read-only so that the schema
    # shows them as optional, which they are.
    vulnerabilities = VulnerabilitySerializer(many=True, required=False)
    documents = IdentityDocumentSerializer(many=True, required=False)

    class Meta(PersonSerializer.Meta):
        fields = [*PERSON_READ_FIELDS, "vulnerabilities", "documents"]
        read_only_fields = PERSON_READ_FIELDS

    def to_representation(self, person):
        data = super().to_representation(person)
        perms = self.context.get("perms")
        if perms is None or not perms.see_confidential:
            data.pop("vulnerabilities", None)
            data.pop("documents", None)
        return data


class PersonWriteSerializer(WriteSerializer):
    birth_country = CountryCodeField()
    residence_country = CountryCodeField()

    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)
        validators: list = []


class PersonCreateSerializer(PersonWriteSerializer):
    household = VisibleHouseholdField()

    class Meta(PersonWriteSerializer.Meta):
        fields = ["household", *PERSON_FIELDS]

    def validate(self, attrs):
        names = [attrs.get(name, "") for name in
                 ("family_name", "given_name", "family_name_hangul", "given_name_hangul")]
        if not any(name.strip() for name in names):
            raise serializers.ValidationError(
                {"family_name": [_("A person needs a name, in Latin letters or in Hangul.")]})
        return attrs


# --- Notes and attachments -------------------------------------------------------


class UserSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)


class NoteSerializer(serializers.ModelSerializer):
    author = UserSummarySerializer(read_only=True)

    class Meta:
        model = Note
        fields = ["id", "case", "author", "body", "confidential", "created_at", "updated_at"]
        read_only_fields = fields


CASE_HELP = _("The case the record belongs to. A case you may not see answers 404, as one that does not exist.")


class NoteCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text=CASE_HELP)
    body = SafeCharField(trim_whitespace=True)
    confidential = serializers.BooleanField(
        required=False,
        help_text=_("Hidden from sponsor-group volunteers. Defaults to true for staff; volunteers may only "
                    "write non-confidential notes."))


class NoteUpdateSerializer(serializers.Serializer):
    body = SafeCharField(required=False, trim_whitespace=True)
    confidential = serializers.BooleanField(required=False)


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = UserSummarySerializer(read_only=True)
    kind = AttachmentKindField(choices=Attachment.Kind.choices, read_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "case", "uploaded_by", "kind", "filename", "description", "content_type", "size",
                  "sha256", "confidential", "created_at"]
        read_only_fields = fields


class AttachmentUploadSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text=CASE_HELP)
    file = serializers.FileField()
    kind = AttachmentKindField(choices=Attachment.Kind.choices, default=Attachment.Kind.EVIDENCE)
    description = SafeCharField(required=False, allow_blank=True, default="")
    confidential = serializers.BooleanField(default=True)
