"""Statistics pages show measures, units and countries in words (haven.stats.labels); the CSV keeps the codes."""
from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from haven.stats.labels import measure_label, unit_label
from haven.testing.personas import PersonaTestCase


class PublishedLabelTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from haven.stats.models import PublishedSource
        from haven.stats.services import load_seed

        if not PublishedSource.objects.exists():
            load_seed()

    def test_the_page_names_measures_units_and_countries_and_the_csv_keeps_codes(self):
        self.login_as(self.owner)
        response = self.client.get(reverse("stats_published") + "?country=KP", HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 200)
        header = "Korea, Democratic People&#x27;s Republic of · 2014 · Claims referred (claims)"
        self.assertContains(response, header)
        self.assertNotContains(response, "<td>referred</td>")
        self.assertNotContains(response, "<td>KP</td>")
        self.assertContains(response, "<td>Acceptance rate</td>")
        csv = self.client.get(reverse("stats_export", kwargs={"key": "published_comparison", "fmt": "csv"})
                              + "?country=KP").content.decode()
        self.assertIn(",KP,referred,", csv)

    def test_labels_in_french_and_unknown_keys_readable(self):
        self.login_as(self.owner)
        response = self.client.get(reverse("stats_published") + "?country=KP", HTTP_ACCEPT_LANGUAGE="fr")
        self.assertContains(response, "Corée, République populaire démocratique de")
        self.assertContains(response, "Demandes déférées")
        with translation.override("en"):
            self.assertEqual(measure_label("claims_made_abroad"), "claims made abroad")
            self.assertEqual(unit_label(" Percent "), "percent")
            self.assertEqual(unit_label("households"), "households")
