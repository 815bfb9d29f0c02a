"""Funds pages: what each persona sees (staff everything; the group's volunteer their family's schedule and their
group's totals, never a donor; analysts aggregates), the receipt PDF, the ledger exports, and query counts."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.urls import reverse

from haven.funds import ledger, testing
from haven.funds.models import Donation, Receipt
from haven.funds.tests.test_services import FundsTestCase


class FundsPagesTests(FundsTestCase):
    def get(self, persona, name, **kwargs):
        self.login_as(persona)
        return self.client.get(reverse(f"funds:{name}", kwargs=kwargs))

    def test_staff_see_donors_gifts_and_campaign_progress(self):
        page = self.get(self.owner, "home").content.decode()
        self.assertIn("Pilot families 2026", page)
        self.assertIn('value="1"', page)  # 3,000 of 250,000: 1%
        detail = self.get(self.owner, "campaign_detail", pk=self.campaign.pk).content.decode()
        self.assertIn(testing.DONOR_NAME, detail)
        self.assertIn("<svg", detail)

    def test_volunteer_sees_the_family_schedule_and_group_totals_but_no_donor(self):
        family = self.get(self.volunteer, "family", case_pk=self.case.pk)
        self.assertEqual(family.status_code, 200)
        self.assertIn("1500.00", family.content.decode())
        self.assertNotIn("Approve", family.content.decode())
        trust = self.get(self.volunteer, "trust_detail", pk=self.trust.pk)
        self.assertEqual(trust.status_code, 200)
        home = self.get(self.volunteer, "home").content.decode()
        for page in (family.content.decode(), trust.content.decode(), home):
            self.assertNotIn(testing.DONOR_NAME, page)
            self.assertNotIn("Pilot families 2026", page)  # campaigns list gifts: staff and analysts only
        for name, kwargs in (("donor_detail", {"pk": self.donor.pk}), ("donation_detail", {"pk": self.donation.pk}),
                             ("receipt_pdf", {"pk": self.receipt.pk}), ("campaign_detail", {"pk": self.campaign.pk}),
                             ("donor_list", {})):
            self.assertEqual(self.get(self.volunteer, name, **kwargs).status_code, 404, name)

    def test_other_group_and_outsiders_get_404(self):
        for persona in (self.other_volunteer, self.outsider, self.counsel, self.analyst):
            self.assertEqual(self.get(persona, "family", case_pk=self.case.pk).status_code, 404)
            self.assertEqual(self.get(persona, "trust_detail", pk=self.trust.pk).status_code, 404)
            self.assertNotIn(testing.DONOR_NAME, self.get(persona, "home").content.decode())

    def test_analyst_sees_aggregates_only(self):
        page = self.get(self.analyst, "home").content.decode()
        self.assertIn("Pilot families 2026", page)
        self.assertIn("3000.00", page)
        self.assertNotIn("MSS-2026-001", page)
        self.assertNotIn(testing.DONOR_NAME, page)

    def test_the_receipt_pdf_carries_the_required_fields_and_hangul(self):
        from pypdf import PdfReader

        self.donor.name = "박민지 Min-ji Park"
        self.donor.save(update_fields=["name"])
        gift = self.donation.__class__.objects.create(
            organization=self.org, donor=self.donor, amount=Decimal("100.00"), received_on=dt.date.today(),
            created_by=self.owner)
        from haven.funds import receipts

        receipt = receipts.issue_receipt(actor=self.owner, donation=gift)
        response = self.get(self.owner, "receipt_pdf", pk=receipt.pk)
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        for expected in ("Official receipt for income tax purposes", "123456789RR0001", "Ottawa", "박민지",
                         "Eligible amount", "canada.ca/charities-giving", "Jane Doe", "Receipt serial number"):
            self.assertIn(expected, text)

    def test_void_and_replacement_say_so_on_both_pdfs(self):
        from pypdf import PdfReader

        from haven.funds import receipts

        receipts.request_receipt_void(actor=self.owner, receipt=self.receipt, reason="Wrong address")
        replacement = receipts.approve_receipt_void(actor=self.colleague, receipt=self.receipt)

        def text(receipt):
            content = self.get(self.owner, "receipt_pdf", pk=receipt.pk).content
            return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)

        self.assertIn("VOID", text(Receipt.objects.get(pk=self.receipt.pk)))
        self.assertIn(f"Replaced by receipt No. {replacement.number}", text(Receipt.objects.get(pk=self.receipt.pk)))
        self.assertIn(f"Cancels and replaces receipt No. {self.receipt.number}", text(replacement))

    def test_requester_is_refused_approval_on_the_page(self):
        self.login_as(self.owner)
        response = self.client.post(reverse("funds:disbursement_approve", kwargs={"pk": self.disbursement.pk}),
                                     follow=True)
        self.assertContains(response, "cannot approve it")

    def test_recording_a_gift_through_the_form(self):
        self.login_as(self.colleague)
        response = self.client.post(reverse("funds:donation_create"), {
            "donor": self.donor.pk, "amount": "125.50", "received_on": dt.date.today().isoformat(),
            "method": "cheque", "campaign": self.campaign.pk, "advantage": "0"})
        gift = Donation.objects.order_by("-pk").first()
        self.assertRedirects(response, reverse("funds:donation_detail", kwargs={"pk": gift.pk}))
        self.assertEqual(gift.amount, Decimal("125.50"))
        refused = self.client.post(reverse("funds:donation_create"), {
            "amount": "1.001", "received_on": dt.date.today().isoformat(), "method": "cheque", "advantage": "0"})
        self.assertContains(refused, "at most two decimal places")

    def test_ledger_exports(self):
        from openpyxl import load_workbook

        ledger.approve_disbursement(actor=self.colleague, disbursement=self.disbursement)
        ledger.pay_disbursement(actor=self.owner, disbursement=self.disbursement)
        csv_text = self.get(self.owner, "ledger_export", fmt="csv").content.decode()
        self.assertIn("Gift received", csv_text)
        self.assertIn("Disbursement paid", csv_text)
        self.assertNotIn(testing.DONOR_NAME, csv_text)
        sheet = load_workbook(io.BytesIO(self.get(self.owner, "ledger_export", fmt="xlsx").content)).active
        self.assertEqual([row[3] for row in sheet.iter_rows(min_row=2, values_only=True)],
                         [3000.0, 2000.0, 1500.0])
        self.assertEqual(self.get(self.volunteer, "ledger_export", fmt="csv").status_code, 404)

    def test_home_query_count_does_not_grow_with_families(self):
        self.login_as(self.owner)
        self.client.get(reverse("funds:home"))
        with self.assertNumQueries(15) as first:  # 14, and the families' settlement plans (one query)
            self.client.get(reverse("funds:home"))
        from haven.testing.factories import CaseFactory, HouseholdFactory

        for n in range(5):
            case = CaseFactory(organization=self.org, sponsor_group=self.group_a, reference=f"MSS-X-{n}",
                               household=HouseholdFactory(organization=self.org, reference=f"HH-X{n}"))
            ledger.allocate(actor=self.owner, case=case, amount="10.00")
        with self.assertNumQueries(len(first.captured_queries)):
            self.client.get(reverse("funds:home"))
