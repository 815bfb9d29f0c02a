"""Private sponsorship of refugees (PSR): sponsor groups, programs, applications and their dated stages.

An application belongs to a case of kind "sponsorship", which is the unit of access (haven.cases.access): it is
reached only through its case. The stage history is append-only: a correction or a removal is a new row that
points at the row it replaces, so what was recorded first is never lost. Eligibility answers and settlement
plans live in haven.sponsorship.models.planning.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.people.codes import validate_country
from haven.records.versioning import Versioned


class SponsorKind(models.TextChoices):
    SAH_STAFF = "sah_staff", _("Sponsorship Agreement Holder staff")
    CONSTITUENT_GROUP = "constituent_group", _("Constituent group")
    CO_SPONSOR = "co_sponsor", _("Co-sponsor")
    GROUP_OF_FIVE = "group_of_five", _("Group of Five")
    COMMUNITY_SPONSOR = "community_sponsor", _("Community sponsor")


# Sponsors that may only sponsor a refugee recognized by UNHCR or a state, with documentary proof
# (IRPR s. 153(1)(b), in force since 2012; rstp.ca Group of Five information).
RECOGNITION_REQUIRED = frozenset({SponsorKind.GROUP_OF_FIVE, SponsorKind.COMMUNITY_SPONSOR})


class SponsorProfile(Versioned):
    """What the organization knows of one of its sponsor groups (an accounts.Team of kind sponsor_group)."""

    team = models.OneToOneField("accounts.Team", on_delete=models.PROTECT, related_name="sponsor_profile",
                                limit_choices_to={"kind": "sponsor_group"})
    kind = models.CharField(max_length=20, choices=SponsorKind.choices)
    community = models.CharField(_("community of settlement"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["team__name"]

    def __str__(self) -> str:
        return f"{self.team.name} ({self.get_kind_display()})"


class UndertakingRole(models.TextChoices):
    SIGNATORY = "signatory", _("Signatory of the undertaking")
    CO_SIGNATORY = "co_signatory", _("Co-signatory")
    CONTACT = "contact", _("Group contact")
    SETTLEMENT = "settlement", _("Settlement support")
    FINANCIAL = "financial", _("Financial contributor")


class SponsorMember(models.Model):
    """A member of a sponsor group and the part they take in the undertaking."""

    profile = models.ForeignKey(SponsorProfile, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=UndertakingRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]


class Program(models.Model):
    """A sponsorship program and who pays what for how long: rules as data (data migration 0002)."""

    class Code(models.TextChoices):
        PSR = "PSR", _("Private Sponsorship of Refugees")
        JAS = "JAS", _("Joint Assistance Sponsorship")
        BVOR = "BVOR", _("Blended Visa Office-Referred")

    code = models.CharField(max_length=8, choices=Code.choices, unique=True)
    sponsor_income_months = models.PositiveSmallIntegerField(
        help_text=_("Months of income support the sponsor pays."))
    government_income_months = models.PositiveSmallIntegerField(
        help_text=_("Months of income support the government pays."))
    max_months = models.PositiveSmallIntegerField(help_text=_("Longest sponsorship period the program allows."))
    sponsor_pays_start_up = models.BooleanField(default=True)
    description = models.TextField(blank=True)
    citation = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.get_code_display()


class Stage(models.TextChoices):
    PREPARING = "preparing", _("Preparing the application")
    UNDERTAKING_SIGNED = "undertaking_signed", _("Undertaking signed (IMM 5373)")
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged (federal file number)")
    IN_ASSESSMENT = "in_assessment", _("In assessment")
    INTERVIEW = "interview", _("Interview")
    MEDICAL = "medical", _("Medical examination")
    SECURITY = "security", _("Security screening")
    DECISION = "decision", _("Decision")
    TRAVEL = "travel", _("Travel")
    ARRIVED = "arrived", _("Arrived")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class SponsorshipApplication(models.Model):
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     related_name="sponsorship_applications")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="sponsorship_application")
    sponsor_group = models.ForeignKey("accounts.Team", on_delete=models.PROTECT,
                                      related_name="sponsorship_applications")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="applications")
    transit_country = models.CharField(_("country where the principal applicant waits"), max_length=2,
                                       validators=[validate_country])
    recognition_proof = models.CharField(
        _("proof of refugee recognition"), max_length=200, blank=True,
        help_text=_("The UNHCR or state document recognizing the refugee (required for a Group of Five)."))
    priority = models.BooleanField(default=False)
    priority_reason = models.CharField(max_length=300, blank=True)
    # Derived from the stage events by the services (the queue sorts and filters on them).
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.PREPARING)
    stage_since = models.DateField()
    started_on = models.DateField()
    undertaking_signed_on = models.DateField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    federal_file_number = models.CharField(max_length=40, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    arrived_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-priority", "started_on", "pk"]
        indexes = [models.Index(fields=["organization", "-priority", "started_on", "id"],
                                name="sponsorship_app_queue")]

    def __str__(self) -> str:
        return f"{self.case.reference} · {self.program.code}"


class StageEvent(models.Model):
    """One dated step of an application, append-only. A correction is a new row with `corrects` set (and the
    step's corrected values); a removal is a correction row with `removed` set."""

    application = models.ForeignKey(SponsorshipApplication, on_delete=models.PROTECT, related_name="events")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    occurred_on = models.DateField()
    form_reference = models.CharField(max_length=40, blank=True, help_text=_("E.g. IMM 5373 for the undertaking."))
    federal_file_number = models.CharField(max_length=40, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    reasons = models.TextField(blank=True)
    note = models.CharField(max_length=500, blank=True)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="corrections")
    removed = models.BooleanField(default=False)
    correction_reason = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "pk"]
        indexes = [models.Index(fields=["application", "occurred_on"], name="sponsorship_event_app_date")]

