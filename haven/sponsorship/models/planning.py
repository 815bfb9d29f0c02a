"""Eligibility answers (decision support, kept with their history) and settlement plans: the IRCC cost table
as dated data, the plan that used one version of it, in-kind donations and the end-of-support alerts."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.records.versioning import Versioned

MONEY = {"max_digits": 12, "decimal_places": 2}


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known yet")


class EligibilityAnswer(models.Model):
    """One answer to one question of the eligibility questionnaire (haven.sponsorship.eligibility), on a case.
    Append-only: a new answer to the same question supersedes the earlier one, which stays as history."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="eligibility_answers")
    question = models.CharField(max_length=40)
    answer = models.CharField(max_length=10, choices=Answer.choices)
    note = models.CharField(max_length=500, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question", "-answered_at", "-pk"]
        indexes = [models.Index(fields=["case", "question", "-answered_at"], name="sponsorship_answer_case")]


class CostTable(models.Model):
    """One version of IRCC's sponsorship cost table, in force from `effective_from` until the next version.
    Versions are never edited once a plan uses them: an administrator adds a newer one."""

    effective_from = models.DateField(unique=True)
    source = models.CharField(max_length=300)
    extra_person_income_support = models.DecimalField(**MONEY)
    extra_person_start_up = models.DecimalField(**MONEY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.effective_from:%Y-%m-%d} ({self.source})"


class CostTableRow(models.Model):
    table = models.ForeignKey(CostTable, on_delete=models.CASCADE, related_name="rows")
    family_size = models.PositiveSmallIntegerField()
    income_support = models.DecimalField(_("12 months of income support"), **MONEY)
    start_up = models.DecimalField(_("start-up costs"), **MONEY)

    class Meta:
        ordering = ["family_size"]
        constraints = [models.UniqueConstraint(fields=["table", "family_size"], name="cost_row_once_per_size")]


class SettlementPlan(Versioned):
    """The settlement plan budget of an application: family size, the cost table version used and the months of
    income support. More than 12 months needs a recorded reason and a second user's approval."""

    application = models.OneToOneField("sponsorship.SponsorshipApplication", on_delete=models.PROTECT,
                                       related_name="plan")
    cost_table = models.ForeignKey(CostTable, on_delete=models.PROTECT, related_name="plans")
    family_size = models.PositiveSmallIntegerField()
    months = models.PositiveSmallIntegerField(default=12)
    support_starts_on = models.DateField(null=True, blank=True,
                                         help_text=_("First day of income support (usually the arrival)."))
    extension_months = models.PositiveSmallIntegerField(null=True, blank=True,
                                                        help_text=_("Months requested, awaiting approval."))
    extension_reason = models.CharField(max_length=500, blank=True)
    extension_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                               on_delete=models.PROTECT, related_name="+")
    extension_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                              on_delete=models.PROTECT, related_name="+")
    extension_approved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(months__gte=12, months__lte=36),
                                              name="plan_months_12_to_36")]


class InKindDonation(models.Model):
    class Kind(models.TextChoices):
        HOUSING = "housing", _("Housing")
        FURNITURE = "furniture", _("Furniture")
        CLOTHING = "clothing", _("Clothing")
        OTHER = "other", _("Other goods or services")

    plan = models.ForeignKey(SettlementPlan, on_delete=models.PROTECT, related_name="in_kind")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=300, blank=True)
    value = models.DecimalField(**MONEY)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=models.Q(value__gte=0), name="in_kind_not_negative")]


class SupportAlert(models.Model):
    """An alert raised once per plan and threshold (60 or 30 days before the sponsorship period ends)."""

    plan = models.ForeignKey(SettlementPlan, on_delete=models.PROTECT, related_name="alerts")
    days_before = models.PositiveSmallIntegerField()
    period_ends_on = models.DateField()
    # Whether the family was self-sufficient when the alert was raised (haven.settlement's rule, issue 13): the
    # end of support is planned differently for a family that already covers its needs.
    self_sufficient = models.BooleanField(default=False)
    raised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [models.UniqueConstraint(fields=["plan", "days_before", "period_ends_on"],
                                               name="alert_once_per_threshold")]
