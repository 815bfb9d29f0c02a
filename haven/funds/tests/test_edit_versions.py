"""Edit conflicts (haven.records.versioning) on the charity details printed on receipts: a save based on a version
someone else has since changed is refused by the service and by the page, and nothing is overwritten."""
from __future__ import annotations

from django.urls import reverse

from haven.funds import services
from haven.funds.models import CharityProfile
from haven.funds.testing import charity
from haven.records import EditConflict
from haven.testing.personas import PersonaTestCase

DETAILS = {"legal_name": "Maple Sponsorship Society", "address": "100 Queen Street, Ottawa ON K1P 1J9",
           "registration_number": "123456789RR0001", "place_of_issue": "Ottawa", "signatory_name": "Jane Doe",
           "signatory_title": "Treasurer", "cra_website": "canada.ca/charities-giving"}


class CharityProfileVersionTests(PersonaTestCase):
    def test_stale_charity_details_save_is_refused_and_overwrites_nothing(self):
        opened = charity(self).version
        services.save_charity_profile(actor=self.admin, organization=self.org, expected_version=opened,
                                      **{**DETAILS, "signatory_name": "Min-jun Park"})
        with self.assertRaises(EditConflict):
            services.save_charity_profile(actor=self.admin, organization=self.org, expected_version=opened,
                                          **{**DETAILS, "signatory_name": "Ahmad Karimi"})
        self.login_as(self.admin)
        response = self.client.post(reverse("funds:charity_settings", args=[self.org.pk]), {
            **DETAILS, "place_of_issue": "Toronto", "version": opened})
        self.assertContains(response, "Someone else changed this record", status_code=409)
        self.assertContains(response, "Min-jun Park", status_code=409)
        profile = CharityProfile.objects.get(organization=self.org)
        self.assertEqual((profile.signatory_name, profile.place_of_issue, profile.version),
                         ("Min-jun Park", "Ottawa", opened + 1))
