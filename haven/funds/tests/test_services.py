"""Funds services: validation messages, approval by a second person, audit rows for every public service."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError

from haven.audit.models import AuditEntry
from haven.funds import ledger, receipts, services, testing
from haven.funds.models import Disbursement, Donation, Receipt
from haven.testing.personas import PersonaTestCase

TODAY = dt.date.today()


class FundsTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        testing.build_maple_funds(cls)

    def assertRefused(self, message_part: str, call, *args, **kwargs):
        with self.assertRaises(ValidationError) as caught:
            call(*args, **kwargs)
        self.assertIn(message_part, " ".join(caught.exception.messages))
        return caught.exception


class MoneyRulesTests(FundsTestCase):
    def give(self, amount, **extra):
        return services.record_donation(actor=self.owner, organization=self.org, amount=amount,
                                        received_on=extra.pop("received_on", TODAY), **extra)

    def test_sub_cent_negative_and_zero_amounts_are_refused(self):
        self.assertRefused("two decimal places", self.give, Decimal("10.005"))
        self.assertRefused("more than zero", self.give, Decimal("-5"))
        self.assertRefused("more than zero", self.give, "0")
        self.assertRefused("such as 1250.00", self.give, "ten dollars")

    def test_a_gift_received_in_the_future_is_refused(self):
        error = self.assertRefused("in the future", self.give, "10.00", received_on=TODAY + dt.timedelta(days=1))
        self.assertIn("received_on", error.message_dict)

    def test_volunteers_and_outsiders_cannot_record_money(self):
        for persona in (self.volunteer, self.analyst, self.outsider):
            self.assertRefused("Only the organization's staff", services.record_donation, actor=persona,
                               organization=self.org, amount="10.00", received_on=TODAY)

    def test_a_gift_beyond_what_remains_of_the_pledge_is_refused(self):
        self.assertRefused("more than what remains of the pledge (2000.00)", self.give, "2000.01",
                           donor=self.donor, pledge=self.pledge)
        self.give("2000.00", donor=self.donor, pledge=self.pledge)
        from haven.funds.selectors import pledge_fulfilled

        self.assertEqual(pledge_fulfilled(self.pledge), Decimal("5000.00"))

    def test_a_gift_to_a_family_goes_to_its_group_trust(self):
        self.trust.refresh_from_db()
        self.assertEqual(self.trust.sponsor_group, self.group_a)
        self.assertEqual(self.trust.received, Decimal("3000.00"))

    def test_allocation_beyond_received_and_payment_beyond_allocated_are_refused(self):
        self.assertRefused("Only 1000.00 of the trust", ledger.allocate, actor=self.owner, case=self.case,
                           amount="1000.01")
        ledger.approve_disbursement(actor=self.colleague, disbursement=self.disbursement)
        ledger.pay_disbursement(actor=self.owner, disbursement=self.disbursement)
        second = ledger.plan_disbursements(actor=self.owner, case=self.case,
                                           schedule=[(TODAY + dt.timedelta(days=40), Decimal("600.00"))])[0]
        ledger.approve_disbursement(actor=self.colleague, disbursement=second)
        self.assertRefused("500.00 allocated and not yet paid", ledger.pay_disbursement, actor=self.owner,
                           disbursement=second)

    def test_cancelling_a_gift_that_is_already_allocated_is_refused(self):
        receipt = Receipt.objects.get(pk=self.receipt.pk)
        self.assertRefused("void the receipt first", services.void_donation, actor=self.owner,
                           donation=self.donation, reason="Bounced cheque")
        receipts.request_receipt_void(actor=self.owner, receipt=receipt, reason="Bounced", replace=False)
        receipts.approve_receipt_void(actor=self.colleague, receipt=receipt)
        self.assertRefused("less than it has allocated", services.void_donation, actor=self.owner,
                           donation=self.donation, reason="Bounced cheque")


class ApprovalTests(FundsTestCase):
    def test_the_requester_cannot_approve_a_disbursement(self):
        self.assertRefused("cannot approve it", ledger.approve_disbursement, actor=self.owner,
                           disbursement=self.disbursement)
        self.assertRefused("once a second person has approved", ledger.pay_disbursement, actor=self.owner,
                           disbursement=self.disbursement)
        approved = ledger.approve_disbursement(actor=self.colleague, disbursement=self.disbursement)
        self.assertEqual((approved.status, approved.approved_by), (Disbursement.Status.APPROVED, self.colleague))

    def test_a_volunteer_cannot_approve(self):
        self.assertRefused("Only the organization's staff", ledger.approve_disbursement, actor=self.volunteer,
                           disbursement=self.disbursement)

    def test_the_requester_cannot_approve_a_receipt_void(self):
        receipts.request_receipt_void(actor=self.owner, receipt=self.receipt, reason="Wrong address")
        self.assertRefused("cannot approve it", receipts.approve_receipt_void, actor=self.owner,
                           receipt=self.receipt)
        self.assertEqual(Receipt.objects.get(pk=self.receipt.pk).status, Receipt.Status.ISSUED)

    def test_an_approved_void_issues_a_replacement_that_names_the_original(self):
        receipts.request_receipt_void(actor=self.owner, receipt=self.receipt, reason="Wrong address")
        replacement = receipts.approve_receipt_void(actor=self.colleague, receipt=self.receipt)
        original = Receipt.objects.get(pk=self.receipt.pk)
        self.assertEqual(original.status, Receipt.Status.VOID)
        self.assertEqual(replacement.replaces, original)
        self.assertEqual(replacement.number, original.number + 1)
        self.assertEqual(replacement.eligible_amount, Decimal("3000.00"))

    def test_a_gift_gets_one_receipt(self):
        self.assertRefused("already has an official receipt", receipts.issue_receipt, actor=self.owner,
                           donation=self.donation)

    def test_an_anonymous_gift_without_donor_gets_no_receipt(self):
        gift = services.record_donation(actor=self.owner, organization=self.org, amount="50.00", received_on=TODAY,
                                        anonymous=True)
        self.assertRefused("3501(1)(h)", receipts.issue_receipt, actor=self.owner, donation=gift)


class AuditTests(FundsTestCase):
    """Every public service of the funds app writes its audit row."""

    def assertAudited(self, obj, summary_part: str):
        entries = AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        self.assertTrue(any(summary_part in entry.summary for entry in entries),
                        f"no audit row '{summary_part}' for {obj!r}: {[e.summary for e in entries]}")

    def test_every_service_writes_an_audit_row(self):
        self.assertAudited(self.org.charity_profile, "charity details")
        self.assertAudited(self.campaign, "campaign")
        self.assertAudited(self.donor, "donor")
        self.assertAudited(self.pledge, "pledge")
        self.assertAudited(self.donation, "donation received")
        self.assertAudited(self.receipt, "official receipt No. 1")
        self.assertAudited(self.allocation, "allocated from trust")
        self.assertAudited(self.disbursement.fund, "disbursements planned")
        ledger.approve_disbursement(actor=self.colleague, disbursement=self.disbursement)
        self.assertAudited(self.disbursement, "disbursement approved")
        ledger.pay_disbursement(actor=self.owner, disbursement=self.disbursement)
        self.assertAudited(self.disbursement, "disbursement paid")
        other = ledger.plan_disbursements(actor=self.owner, case=self.case,
                                          schedule=[(TODAY, Decimal("1.00"))])[0]
        ledger.cancel_disbursement(actor=self.owner, disbursement=other)
        self.assertAudited(other, "disbursement cancelled")
        receipts.request_receipt_void(actor=self.owner, receipt=self.receipt, reason="Typo")
        self.assertAudited(self.receipt, "requested")
        receipts.approve_receipt_void(actor=self.colleague, receipt=self.receipt)
        self.assertAudited(self.receipt, "void")
        gift = services.record_donation(actor=self.owner, organization=self.org, amount="5.00", received_on=TODAY)
        services.void_donation(actor=self.owner, donation=gift, reason="Duplicate entry")
        self.assertAudited(gift, "donation cancelled")
        self.assertEqual(Donation.objects.get(pk=gift.pk).status, Donation.Status.VOID)

    def test_contact_details_are_encrypted_and_not_audited(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT email, address FROM funds_donor WHERE id = %s", [self.donor.pk])
            email, address = cursor.fetchone()
        self.assertTrue(email.startswith("enc1:") and address.startswith("enc1:"))
        entries = AuditEntry.objects.filter(object_type="funds.donor")
        self.assertFalse(any("haneul.test" in str(entry.changes) for entry in entries))
