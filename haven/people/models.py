"""People, the names they are written under, and the households they belong to.

Access to a person always follows a case (see haven.cases.access): a person is
visible only through a household that the user may see.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.crypto.fields import EncryptedTextField
from haven.people.codes import validate_country, validate_language
from haven.records import SoftDeletable, Versioned


class Household(Versioned):
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="households")
    reference = models.CharField(max_length=40)
    name = models.CharField(max_length=200, help_text=_("How the household is known, e.g. “Ri family”."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["reference"]
        constraints = [models.UniqueConstraint(fields=["organization", "reference"], name="household_unique_ref")]

    def __str__(self) -> str:
        return f"{self.reference} · {self.name}"


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Another gender")
    UNKNOWN = "U", _("Unknown")


class DatePrecision(models.TextChoices):
    EXACT = "exact", _("Exact")
    MONTH = "month", _("Month and year known")
    YEAR = "year", _("Year known (forms record 1 January)")
    UNKNOWN = "unknown", _("Unknown")


# What each precision stores: a full date, the 1st of the month, 1 January of the year, or no date at all. The
# services normalize to it and the database refuses anything else (person_birth_date_matches_precision).
BIRTH_DATE_AGREES_WITH_PRECISION = (
    models.Q(birth_date_precision=DatePrecision.UNKNOWN, birth_date__isnull=True)
    | models.Q(birth_date_precision=DatePrecision.EXACT, birth_date__isnull=False)
    # "IS NOT NULL" spelt out: a CHECK passes when it evaluates to NULL, as EXTRACT(DAY FROM NULL) = 1 does.
    | models.Q(birth_date_precision=DatePrecision.MONTH, birth_date__isnull=False, birth_date__day=1)
    | models.Q(birth_date_precision=DatePrecision.YEAR, birth_date__isnull=False, birth_date__month=1,
               birth_date__day=1)
)


class Relationship(models.TextChoices):
    PRINCIPAL = "principal", _("Principal applicant")
    SPOUSE = "spouse", _("Spouse or partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    GRANDPARENT = "grandparent", _("Grandparent")
    GRANDCHILD = "grandchild", _("Grandchild")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    DE_FACTO = "de_facto", _("De facto dependant")


class CurrentPersonManager(models.Manager):
    """Persons as themselves: a person merged into another (haven.matching) is left out of every list, household,
    search, count and API answer; `Person.all_objects` still has them, for the merge pages and un-merge."""

    def get_queryset(self):
        return super().get_queryset().filter(merged_into__isnull=True)


class Person(Versioned):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    relationship = models.CharField(max_length=20, choices=Relationship.choices, default=Relationship.PRINCIPAL)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name_hangul = models.CharField(_("family name (Hangul)"), max_length=50, blank=True)
    given_name_hangul = models.CharField(_("given name (Hangul)"), max_length=50, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(null=True, blank=True)
    # Unknown unless said otherwise: the services set "exact" when a date comes without a precision.
    birth_date_precision = models.CharField(max_length=10, choices=DatePrecision.choices,
                                            default=DatePrecision.UNKNOWN)
    birth_place = models.CharField(max_length=200, blank=True)
    birth_country = models.CharField(max_length=2, blank=True, validators=[validate_country])
    residence_country = models.CharField(_("current country of residence"), max_length=2, blank=True,
                                         validators=[validate_country])
    phone = EncryptedTextField(blank=True, default="")
    email = EncryptedTextField(blank=True, default="")
    address = EncryptedTextField(blank=True, default="")
    search_key = models.TextField(blank=True, default="", editable=False)
    # Set by haven.matching's merge (and cleared by un-merge): the person this record was merged into.
    merged_into = models.ForeignKey("self", null=True, blank=True, editable=False, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CurrentPersonManager()
    all_objects = models.Manager()

    CONTACT_FIELDS = ("phone", "email", "address")

    class Meta:
        ordering = ["family_name", "given_name", "pk"]
        indexes = [models.Index(fields=["household", "relationship"], name="person_household_rel")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(family_name="", given_name="", family_name_hangul="", given_name_hangul=""),
                name="person_has_a_name",
            ),
            models.CheckConstraint(condition=BIRTH_DATE_AGREES_WITH_PRECISION,
                                   name="person_birth_date_matches_precision"),
            # One principal applicant per household (a person merged into another no longer counts).
            models.UniqueConstraint(fields=["household"],
                                    condition=models.Q(relationship=Relationship.PRINCIPAL, merged_into__isnull=True),
                                    name="household_one_principal_applicant"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        latin = " ".join(part for part in (self.family_name, self.given_name) if part)
        hangul = f"{self.family_name_hangul}{self.given_name_hangul}"
        if latin and hangul:
            return f"{latin} ({hangul})"
        return latin or hangul


class PersonName(models.Model):
    """A name as written on one document or source, in any script."""

    class Script(models.TextChoices):
        LATIN = "latin", _("Latin")
        HANGUL = "hangul", _("Hangul")
        HAN = "han", _("Chinese characters")
        OTHER = "other", _("Other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    family_name = models.CharField(max_length=100, blank=True)
    given_name = models.CharField(max_length=100, blank=True)
    script = models.CharField(max_length=10, choices=Script.choices, default=Script.LATIN)
    source = models.CharField(max_length=200, blank=True, help_text=_("Document or record the spelling comes from."))

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()


class Nationality(Versioned):
    class Status(models.TextChoices):
        CITIZEN = "citizen", _("Citizen")
        HELD = "held", _("Citizenship held")
        # Two statuses the former "claimable" conflated (docs/nationality-and-article-1e.md): a nationality the person
        # is entitled to as of right counts as a country of nationality for the claim (Refugee Convention art. 1A(2);
        # IRPA s.96); one they may only be able to acquire depends on the evidence and on whether it is within their
        # control.
        ENTITLED = "entitled", _("Entitled to acquire as of right")
        MAY_ACQUIRE = "may_acquire", _("May be able to acquire")
        REFUSED = "refused", _("Citizenship refused")
        FORMER = "former", _("Former citizen")
        UNKNOWN = "unknown", _("Unknown")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="nationalities")
    country = models.CharField(max_length=2, validators=[validate_country])
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CITIZEN)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["person", "country"], name="nationality_once_per_country")]


class PersonLanguage(models.Model):
    class Level(models.TextChoices):
        NATIVE = "native", _("First language")
        FLUENT = "fluent", _("Fluent")
        BASIC = "basic", _("Basic")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(max_length=3, validators=[validate_language])
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.NATIVE)
    needs_interpreter = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["person", "language"], name="language_once_per_person")]


class Vulnerability(SoftDeletable):
    class Kind(models.TextChoices):
        SGBV = "sgbv_survivor", _("Survivor of sexual or gender-based violence")
        UNACCOMPANIED_MINOR = "unaccompanied_minor", _("Unaccompanied minor")
        MEDICAL = "medical_need", _("Medical need")
        DISABILITY = "disability", _("Disability")
        TORTURE = "torture_survivor", _("Survivor of torture or detention")
        TRAFFICKING = "trafficking_survivor", _("Survivor of trafficking")
        SINGLE_PARENT = "single_parent", _("Single parent")
        ELDERLY = "elderly", _("Older person at risk")
        FAMILY_AT_RISK = "family_at_risk", _("Family members at risk of reprisal")
        OTHER = "other", _("Other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="vulnerabilities")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    details = EncryptedTextField(blank=True, default="")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta(SoftDeletable.Meta):
        ordering = ["pk"]


class IdentityDocument(SoftDeletable):
    class Kind(models.TextChoices):
        PASSPORT = "passport", _("Passport")
        NATIONAL_ID = "national_id", _("National identity card")
        TRAVEL = "travel_document", _("Travel document")
        BIRTH = "birth_certificate", _("Birth certificate")
        UNHCR = "unhcr_registration", _("UNHCR registration")
        REFUGEE_ID = "refugee_id", _("Refugee protection claimant document")
        OTHER = "other", _("Other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    issuing_country = models.CharField(max_length=2, blank=True, validators=[validate_country])
    number = EncryptedTextField(blank=True, default="")
    family_name_as_written = models.CharField(max_length=100, blank=True)
    given_name_as_written = models.CharField(max_length=100, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(SoftDeletable.Meta):
        ordering = ["pk"]
