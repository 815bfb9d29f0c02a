"""Settlement: needs assessments, the service plan (goals, referrals to providers), milestones, monthly income
against needs (the self-sufficiency indicator) and restricted notes (sexual or gender-based violence, mental
health) that only the case's designated workers read. Everything hangs off a case, the unit of access
(haven.cases.access); providers belong to an organization. See docs/settlement.md."""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.crypto.fields import EncryptedTextField
from haven.records.softdelete import SoftDeletable
from haven.records.versioning import Versioned


class Domain(models.TextChoices):
    LANGUAGE = "language", _("Language")
    EMPLOYMENT = "employment", _("Employment and skills")
    EDUCATION = "education", _("Education and children's schooling")
    HOUSING = "housing", _("Housing")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    MENTAL_HEALTH = "mental_health", _("Mental health and trauma")
    FINANCES = "finances", _("Finances and banking")
    LEGAL_STATUS = "legal_status", _("Legal status and documents")
    COMMUNITY = "community", _("Community and orientation")


# Health and trauma: never shown to sponsor-group volunteers, nor printed on the family's plan.
SENSITIVE_DOMAINS = frozenset({Domain.PHYSICAL_HEALTH, Domain.MENTAL_HEALTH})


class Level(models.IntegerChoices):
    """How settled a person is in a domain, from urgent need to self-reliant (docs/settlement.md)."""

    URGENT = 1, _("1 · Urgent need")
    HIGH = 2, _("2 · High need")
    SOME = 3, _("3 · Some need")
    LOW = 4, _("4 · Low need")
    SELF_RELIANT = 5, _("5 · Self-reliant")


class Assessment(SoftDeletable):
    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        FOLLOW_UP = "follow_up", _("Follow-up")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessments")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="assessments",
                               help_text=_("Leave empty for an assessment of the whole household."))
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FOLLOW_UP)
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(SoftDeletable.Meta):
        ordering = ["assessed_on", "pk"]
        indexes = [models.Index(fields=["case", "assessed_on"], name="assessment_case_date")]


class DomainRating(models.Model):
    """One domain's level in one assessment; the language domain also carries Canadian Language Benchmarks."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    domain = models.CharField(max_length=20, choices=Domain.choices)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    comment = EncryptedTextField(blank=True, default="")
    clb_listening = models.PositiveSmallIntegerField(null=True, blank=True,
                                                     validators=[MinValueValidator(1), MaxValueValidator(12)])
    clb_speaking = models.PositiveSmallIntegerField(null=True, blank=True,
                                                    validators=[MinValueValidator(1), MaxValueValidator(12)])
    clb_reading = models.PositiveSmallIntegerField(null=True, blank=True,
                                                   validators=[MinValueValidator(1), MaxValueValidator(12)])
    clb_writing = models.PositiveSmallIntegerField(null=True, blank=True,
                                                   validators=[MinValueValidator(1), MaxValueValidator(12)])

    CLB_FIELDS = ("clb_listening", "clb_speaking", "clb_reading", "clb_writing")

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["assessment", "domain"], name="rating_once_per_domain")]


class Provider(SoftDeletable, Versioned):
    class Kind(models.TextChoices):
        LANGUAGE_CLASSES = "language_classes", _("Language classes")
        SETTLEMENT_AGENCY = "settlement_agency", _("Settlement agency")
        TRAUMA_COUNSELLING = "trauma_counselling", _("Trauma counselling")
        KOREAN_COMMUNITY = "korean_community", _("Korean-speaking community group")
        EMPLOYMENT_PROGRAM = "employment_program", _("Employment program")
        OTHER = "other", _("Other service")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="providers")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    languages = models.CharField(_("languages served"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(SoftDeletable.Meta):
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Goal(SoftDeletable, Versioned):
    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        DROPPED = "dropped", _("No longer pursued")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="settlement_goals")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    description = models.CharField(_("goal"), max_length=300)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(SoftDeletable.Meta):
        ordering = ["domain", "target_date", "pk"]


class Referral(SoftDeletable):
    class Status(models.TextChoices):
        REFERRED = "referred", _("Referred")
        WAITING = "waiting", _("Waiting")
        ATTENDING = "attending", _("Attending")
        COMPLETED = "completed", _("Completed")
        DECLINED = "declined", _("Declined")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="referrals")
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REFERRED)
    referred_on = models.DateField(_("referred on"))
    status_changed_on = models.DateField(_("status since"))
    notes = EncryptedTextField(_("notes"), blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(SoftDeletable.Meta):
        ordering = ["-referred_on", "-pk"]


class Milestone(SoftDeletable):
    class Kind(models.TextChoices):
        ARRIVAL = "arrival", _("Arrival in Canada")
        SIN = "sin", _("Social insurance number")
        HEALTH_CARD = "health_card", _("Provincial health card")
        BANK_ACCOUNT = "bank_account", _("Bank account")
        SCHOOL_ENROLMENT = "school_enrolment", _("School enrolment")
        LEASE_SIGNED = "lease_signed", _("Lease signed")
        FIRST_LANGUAGE_CLASS = "first_language_class", _("First language class")
        FIRST_JOB = "first_job", _("First job")
        NO_SPONSOR_SUPPORT = "no_sponsor_support", _("First month without sponsor support")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("milestone"), max_length=30, choices=Kind.choices)
    done_on = models.DateField(_("done on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(SoftDeletable.Meta):
        ordering = ["done_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "kind"], condition=models.Q(deleted_at__isnull=True),
                                               name="milestone_once_per_case")]


class MonthlyBudget(SoftDeletable):
    """One month of the household's own income (wages, benefits; not sponsor support) against its needs."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="monthly_budgets")
    month = models.DateField(_("month"), help_text=_("Any day of the month; stored as its first day."))
    income = models.DecimalField(_("household income"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    needs = models.DecimalField(_("monthly needs"), max_digits=12, decimal_places=2,
                                validators=[MinValueValidator(0)])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(SoftDeletable.Meta):
        ordering = ["month", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "month"], condition=models.Q(deleted_at__isnull=True),
                                               name="budget_once_per_month")]


class DesignatedWorker(models.Model):
    """A staff member the case names to read and write its restricted notes."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="designated_workers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    designated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="designated_once")]


class RestrictedNote(SoftDeletable):
    class Topic(models.TextChoices):
        SGBV = "sgbv", _("Sexual or gender-based violence")
        MENTAL_HEALTH = "mental_health", _("Mental health")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="restricted_notes")
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    body = EncryptedTextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(SoftDeletable.Meta):
        ordering = ["-created_at", "-pk"]
