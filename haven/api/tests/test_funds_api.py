"""The funds API (haven/api/funds.py): the same rules as the pages, through the same services."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from haven.api.tests.base import ApiTestCase, url
from haven.audit.models import Action
from haven.funds import testing
from haven.funds.models import Disbursement, Receipt

TODAY = dt.date.today().isoformat()


class FundsApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        testing.build_maple_funds(cls)

    def test_staff_create_and_read_campaigns_donors_pledges_and_gifts(self):
        self.login_as(self.owner)
        campaign = self.client.post(url("campaign-list"), {
            "organization": self.org.pk, "name": "Winter appeal", "goal": "5000.00", "starts_on": TODAY},
            format="json")
        self.assertEqual(campaign.status_code, 201, campaign.content)
        donor = self.client.post(url("donor-list"), {"organization": self.org.pk, "name": "Eun-ji K. Seo",
                                                     "address": "9 Elm St, Ottawa"}, format="json")
        self.assertEqual(donor.status_code, 201, donor.content)
        pledge = self.client.post(url("pledge-list"), {"donor": donor.json()["id"], "amount": "100.00",
                                                       "pledged_on": TODAY}, format="json")
        self.assertEqual(pledge.status_code, 201, pledge.content)
        gift = self.client.post(url("donation-list"), {
            "organization": self.org.pk, "donor": donor.json()["id"], "amount": "100.00", "received_on": TODAY,
            "campaign": campaign.json()["id"], "pledge": pledge.json()["id"]}, format="json")
        self.assertEqual(gift.status_code, 201, gift.content)
        self.assertEqual(self.client.get(url("campaign-detail", campaign.json()["id"])).json()["raised"], "100.00")
        self.assertEqual(self.client.get(url("pledge-detail", pledge.json()["id"])).json()["fulfilled"], "100.00")
        self.assertEqual(self.client.get(url("donor-detail", donor.json()["id"])).json()["address"], "9 Elm St, Ottawa")
        self.assertEqual(self.client.get(url("donation-detail", gift.json()["id"])).json()["eligible_amount"],
                         "100.00")
        self.assertIn(campaign.json()["id"], self.ids(self.client.get(url("campaign-list"))))
        self.assert_list_audited(self.owner, "funds.campaign", self.ids(self.client.get(url("campaign-list"))))
        self.assertEqual(len(self.ids(self.client.get(url("donor-list")))), 2)
        self.assertEqual(len(self.ids(self.client.get(url("pledge-list")))), 2)
        self.assertEqual(len(self.ids(self.client.get(url("donation-list")))), 2)

    def test_sub_cent_amounts_get_the_services_message(self):
        self.login_as(self.owner)
        response = self.client.post(url("donation-list"), {"organization": self.org.pk, "amount": "1.005",
                                                           "received_on": TODAY}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("two decimal places", str(response.json()["amount"]))

    def test_receipts_issue_pdf_void_and_replacement(self):
        self.login_as(self.owner)
        self.assertEqual(self.ids(self.client.get(url("receipt-list"))), [self.receipt.pk])
        again = self.client.post(url("receipt-list"), {"donation": self.donation.pk}, format="json")
        self.assertEqual(again.status_code, 400)
        self.assertEqual(self.client.get(url("receipt-detail", self.receipt.pk)).json()["number"], 1)
        pdf = self.client.get(url("receipt-pdf", self.receipt.pk))
        self.assertEqual((pdf.status_code, pdf["Content-Type"]), (200, "application/pdf"))
        self.assertEqual(self.last_audit(Action.DOWNLOAD).object_id, str(self.receipt.pk))
        void = self.client.post(url("receipt-void", self.receipt.pk), {"reason": "Wrong address"}, format="json")
        self.assertTrue(void.json()["void_pending"])
        refused = self.client.post(url("receipt-approve-void", self.receipt.pk), format="json")
        self.assertEqual(refused.status_code, 400)
        self.assertIn("cannot approve it", str(refused.json()))
        self.login_as(self.colleague)
        replacement = self.client.post(url("receipt-approve-void", self.receipt.pk), format="json").json()
        self.assertEqual((replacement["number"], replacement["replaces"]), (2, self.receipt.pk))
        self.assertEqual(Receipt.objects.get(pk=self.receipt.pk).status, Receipt.Status.VOID)

    def test_trust_allocations_and_disbursements(self):
        self.login_as(self.owner)
        self.assertEqual(self.client.get(url("trust-detail", self.trust.pk)).json()["available"], "1000.00")
        self.assertEqual(self.ids(self.client.get(url("trust-list"))), [self.trust.pk])
        over = self.client.post(url("allocation-list"), {"case": self.case.pk, "amount": "1000.01"}, format="json")
        self.assertEqual(over.status_code, 400)
        made = self.client.post(url("allocation-list"), {"case": self.case.pk, "amount": "1000.00"}, format="json")
        self.assertEqual(made.status_code, 201, made.content)
        self.assertEqual(self.client.get(url("allocation-detail", made.json()["id"])).json()["case"], self.case.pk)
        self.assertEqual(len(self.ids(self.client.get(url("allocation-list")))), 2)
        self.assertEqual(self.ids(self.client.get(url("disbursement-list"))), [self.disbursement.pk])
        self.assertEqual(self.client.post(url("disbursement-approve", self.disbursement.pk)).status_code, 400)
        self.assertEqual(self.client.post(url("disbursement-pay", self.disbursement.pk)).status_code, 400)
        self.login_as(self.colleague)
        self.assertEqual(self.client.post(url("disbursement-approve", self.disbursement.pk)).json()["status"],
                         "approved")
        paid = self.client.post(url("disbursement-pay", self.disbursement.pk)).json()
        self.assertEqual((paid["status"], paid["amount"]), ("paid", "1500.00"))
        self.assertEqual(self.client.get(url("disbursement-detail", self.disbursement.pk)).json()["paid_on"],
                         dt.date.today().isoformat())
        self.assertEqual(Disbursement.objects.get(pk=self.disbursement.pk).fund.paid, Decimal("1500.00"))

    def test_volunteer_reads_the_group_ledger_but_no_donor_gift_or_receipt(self):
        self.login_as(self.volunteer)
        self.assertEqual(self.ids(self.client.get(url("trust-list"))), [self.trust.pk])
        self.assertEqual(self.ids(self.client.get(url("disbursement-list"))), [self.disbursement.pk])
        for name in ("donor-list", "donation-list", "receipt-list", "pledge-list", "campaign-list"):
            self.assertEqual(self.ids(self.client.get(url(name))), [], name)
        self.assert_hidden(self.volunteer, url("donor-detail", self.donor.pk))
        self.assert_hidden(self.volunteer, url("receipt-pdf", self.receipt.pk))
        self.assert_hidden(self.volunteer, url("disbursement-approve", self.disbursement.pk), method="post")
        for persona in (self.other_volunteer, self.outsider, self.counsel, self.analyst):
            self.assert_hidden(persona, url("trust-detail", self.trust.pk))
            self.assert_hidden(persona, url("disbursement-detail", self.disbursement.pk))
            self.assertEqual(self.ids(self.client.get(url("allocation-list"))), [])
