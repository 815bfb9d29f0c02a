"""An organization's time zone (haven.records.dates reads it): edited in the admin, checked against the IANA names."""
from __future__ import annotations

from django.urls import reverse

from haven.accounts.models import Organization
from haven.testing.personas import PersonaTestCase


class OrganizationTimeZoneAdminTests(PersonaTestCase):
    def setUp(self):
        self.admin.is_staff = self.admin.is_superuser = True
        self.admin.save(update_fields=["is_staff", "is_superuser"])
        self.login_as(self.admin)
        self.url = reverse("admin:accounts_organization_change", args=[self.clinic.pk])

    def post(self, time_zone: str):
        return self.client.post(self.url, {"name": self.clinic.name, "slug": self.clinic.slug,
                                           "kind": self.clinic.kind, "time_zone": time_zone})

    def test_the_admin_edits_the_time_zone(self):
        self.assertContains(self.client.get(self.url), 'name="time_zone"')
        self.assertRedirects(self.post("America/Vancouver"), reverse("admin:accounts_organization_changelist"))
        self.assertEqual(Organization.objects.get(pk=self.clinic.pk).time_zone, "America/Vancouver")

    def test_a_name_that_is_no_time_zone_is_refused(self):
        response = self.post("Toronto")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["adminform"].form.errors["time_zone"],
                         ["“Toronto” is not a time zone name such as America/Toronto or America/Vancouver."])
        self.assertEqual(Organization.objects.get(pk=self.clinic.pk).time_zone, self.clinic.time_zone)
