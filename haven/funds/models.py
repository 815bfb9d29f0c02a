"""The money side of private sponsorship: campaigns, donors, donations and pledges, official donation receipts,
funds held in trust per sponsor group, their allocation to families and the monthly disbursements.

Money is `DecimalField(max_digits=12, decimal_places=2)` everywhere (haven.funds.money refuses sub-cent and
negative amounts). The trust account and family fund rows carry running totals that the services update under a
row lock (`select_for_update`), so that two writers can never overdraw: the database constraints below are the
last line (allocated <= received, paid <= allocated), the services' checks the first, with a readable message."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from haven.crypto.fields import EncryptedTextField
from haven.records.versioning import Versioned


def money(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class CharityProfile(Versioned):
    """The organization's details as on file with the Canada Revenue Agency, printed on every official receipt
    (Income Tax Regulations s. 3501(1)(b), (c), (e), (l); docs/funds-receipts.md)."""

    organization = models.OneToOneField("accounts.Organization", on_delete=models.PROTECT,
                                        related_name="charity_profile")
    legal_name = models.CharField(_("name as on file with the CRA"), max_length=200)
    address = models.TextField(_("address in Canada as on file with the CRA"))
    registration_number = models.CharField(_("charity registration number"), max_length=20,
                                           help_text=_("Business number and program account, e.g. 123456789RR0001."))
    place_of_issue = models.CharField(_("place where receipts are issued"), max_length=100,
                                      help_text=_("City, town or municipality."))
    signatory_name = models.CharField(_("authorized signatory"), max_length=200)
    signatory_title = models.CharField(_("signatory's title"), max_length=200, blank=True)
    cra_website = models.CharField(_("CRA website"), max_length=100, default="canada.ca/charities-giving")
    updated_at = models.DateTimeField(auto_now=True)


class ReceiptCounter(models.Model):
    """One row per organization, locked (select_for_update) by the transaction that issues a receipt: serial
    numbers follow each other without a gap and are never given twice, whatever runs at the same time."""

    organization = models.OneToOneField("accounts.Organization", on_delete=models.PROTECT,
                                        related_name="receipt_counter")
    last_number = models.PositiveIntegerField(default=0)


class Campaign(models.Model):
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(_("name"), max_length=200)
    goal = money(verbose_name=_("goal"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True, default="")
    sponsor_group = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="campaigns", verbose_name=_("held in trust for"),
                                      help_text=_("The sponsor group whose trust receives this campaign's gifts."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(goal__gt=0), name="campaign_goal_positive"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                                   name="campaign_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.name


class Donor(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANIZATION = "organization", _("Organization")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="donors")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("name"), max_length=200,
                            help_text=_("For a person: first name, initial and last name, as the receipt needs."))
    # Contact details are encrypted at rest, as people's are (haven.people.models.Person).
    email = EncryptedTextField(_("email"), blank=True, default="")
    phone = EncryptedTextField(_("phone"), blank=True, default="")
    address = EncryptedTextField(_("address"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["organization", "name"], name="donor_org_name")]

    def __str__(self) -> str:
        return self.name


class Pledge(models.Model):
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="pledges")
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("donor"))
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="pledges",
                                 verbose_name=_("campaign"))
    amount = money(verbose_name=_("amount pledged"))
    pledged_on = models.DateField(_("pledged on"))
    due_on = models.DateField(_("due by"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pledged_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="pledge_amount_positive")]


class Donation(models.Model):
    class Method(models.TextChoices):
        CHEQUE = "cheque", _("Cheque")
        E_TRANSFER = "e_transfer", _("Interac e-Transfer")
        CARD = "card", _("Credit or debit card")
        CASH = "cash", _("Cash")
        WIRE = "wire", _("Bank transfer")
        SECURITIES = "securities", _("Securities")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        VOID = "void", _("Cancelled (recorded in error)")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="donations",
                                     db_index=False)
    donor = models.ForeignKey(Donor, null=True, blank=True, on_delete=models.PROTECT, related_name="donations",
                              verbose_name=_("donor"))
    amount = money(verbose_name=_("amount"))
    advantage = money(verbose_name=_("advantage received by the donor"), default=0,
                      help_text=_("Value of anything the donor received in return (a dinner, a gift)."))
    advantage_description = models.CharField(_("advantage description"), max_length=200, blank=True, default="")
    received_on = models.DateField(_("date received"))
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, default=Method.CHEQUE)
    anonymous = models.BooleanField(_("anonymous"), default=False,
                                    help_text=_("Never name the donor in reports or acknowledgements."))
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="donations", verbose_name=_("campaign"), db_index=False)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="donations", verbose_name=_("designated to family"),
                             limit_choices_to={"kind": "sponsorship"})
    trust = models.ForeignKey("funds.TrustAccount", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="donations", verbose_name=_("held in trust for"), db_index=False)
    pledge = models.ForeignKey(Pledge, null=True, blank=True, on_delete=models.PROTECT, related_name="donations",
                               verbose_name=_("fulfils pledge"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    void_reason = models.CharField(max_length=300, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="donation_amount_positive"),
            models.CheckConstraint(condition=Q(advantage__gte=0) & Q(advantage__lt=F("amount")),
                                   name="donation_advantage_below_amount"),
        ]
        indexes = [
            # Campaign totals and the raised-over-time chart: SUM(amount) GROUP BY received_on, index-only.
            models.Index(fields=["campaign", "status", "received_on", "amount"], name="donation_campaign_sum"),
            models.Index(fields=["trust", "status", "amount"], name="donation_trust_sum"),
            models.Index(fields=["organization", "-received_on", "-id"], name="donation_org_received"),
        ]

    @property
    def eligible_amount(self):
        return self.amount - self.advantage


class Receipt(models.Model):
    """An official donation receipt for income-tax purposes. Never deleted or edited: a mistake is corrected by
    voiding it (a second user approves) and, if needed, issuing a replacement that says which one it replaces."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        VOID = "void", _("Void")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="receipts")
    number = models.PositiveIntegerField(_("serial number"))
    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="receipts")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ISSUED)
    issued_on = models.DateField(_("date issued"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # What was printed, kept as it was on the day of issue (a donor's later change of address changes no receipt).
    donor_name = EncryptedTextField()
    donor_address = EncryptedTextField(blank=True, default="")
    amount = money()
    advantage = money(default=0)
    advantage_description = models.CharField(max_length=200, blank=True, default="")
    eligible_amount = money()
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="replaced_by")
    void_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    void_requested_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(_("reason"), max_length=300, blank=True, default="")
    void_replace = models.BooleanField(default=False)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="receipt_number_once_per_org"),
            models.UniqueConstraint(fields=["donation"], condition=Q(status="issued"),
                                    name="receipt_one_issued_per_donation"),
            models.CheckConstraint(condition=Q(eligible_amount__gt=0), name="receipt_eligible_positive"),
        ]

    @property
    def void_pending(self) -> bool:
        return self.status == self.Status.ISSUED and self.void_requested_by_id is not None


class TrustAccount(models.Model):
    """Money held in trust for one sponsor group. `received` and `allocated` are running totals kept by the
    services under this row's lock; haven.funds.ledger recomputes them from the entries to prove they agree."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="trusts")
    sponsor_group = models.OneToOneField("accounts.Team", on_delete=models.PROTECT, related_name="trust",
                                         limit_choices_to={"kind": "sponsor_group"})
    received = money(default=0)
    allocated = money(default=0)

    class Meta:
        ordering = ["sponsor_group__name"]
        constraints = [models.CheckConstraint(condition=Q(allocated__gte=0) & Q(allocated__lte=F("received")),
                                              name="trust_allocated_within_received")]

    def __str__(self) -> str:
        return self.sponsor_group.name

    @property
    def available(self):
        return self.received - self.allocated


class FamilyFund(models.Model):
    """What a family (a sponsorship case) has been allocated from its group's trust and what was paid to it."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="fund")
    trust = models.ForeignKey(TrustAccount, on_delete=models.PROTECT, related_name="families")
    allocated = money(default=0)
    paid = money(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(paid__gte=0) & Q(paid__lte=F("allocated")),
                                              name="family_paid_within_allocated")]

    @property
    def unpaid(self):
        return self.allocated - self.paid


class Allocation(models.Model):
    fund = models.ForeignKey(FamilyFund, on_delete=models.PROTECT, related_name="allocations")
    amount = money(verbose_name=_("amount"))
    allocated_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-allocated_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive")]


class Disbursement(models.Model):
    """One month's support to a family: planned from the support schedule, approved by a second user, paid."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    fund = models.ForeignKey(FamilyFund, on_delete=models.PROTECT, related_name="disbursements")
    month = models.PositiveSmallIntegerField(_("month"))
    due_on = models.DateField(_("due on"))
    amount = money(verbose_name=_("amount"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
            models.CheckConstraint(condition=~Q(status="paid") | Q(paid_on__isnull=False),
                                   name="disbursement_paid_has_date"),
        ]
        indexes = [models.Index(fields=["fund", "status", "due_on"], name="disbursement_fund_status")]
