"""The printable family plan (Korean, English, French; Hangul names first in Korean) and the case summary."""
from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from haven.casework.models import Appointment
from haven.casework.testing import build_work
from haven.settlement.documents import AppointmentRow, family_plan_pdf
from haven.settlement.selectors import milestone_rows
from haven.settlement.testing import maple_settlement
from haven.testing.personas import PersonaTestCase


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


class FamilyPlanTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        maple_settlement(cls)

    def fetch(self, user, language):
        self.login_as(user)
        response = self.client.get(reverse("settlement_family_plan_pdf", args=[self.case.pk]) + f"?lang={language}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        return pdf_text(response.content)

    def test_korean_plan_puts_hangul_first(self):
        text = self.fetch(self.owner, "ko")
        self.assertIn("리명철", text.replace(" ", ""))
        hangul, latin = text.find("리명철"), text.find("Ri Myŏng")
        self.assertTrue(0 <= hangul < latin, text[:300])
        self.assertIn("Reach CLB 4 in speaking", text)

    def test_english_plan_puts_latin_first_and_leaves_health_goals_off(self):
        text = self.fetch(self.owner, "en")
        self.assertLess(text.find("Ri Myŏng"), text.find("리명철"))
        self.assertIn("Our settlement plan", text)
        self.assertNotIn("trauma counsellor", text)

    def test_french_plan(self):
        self.assertIn("Arrivée", self.fetch(self.volunteer, "fr"))

    def test_builder_prints_appointments_it_is_given(self):
        when = timezone.make_aware(dt.datetime(2026, 7, 2, 10, 0))
        content = family_plan_pdf(self.case, language="en", goals=[], milestone_rows=milestone_rows(self.case),
                                  appointments=[AppointmentRow(starts_at=when, place="Service Canada office",
                                                               title="SIN application", interpreter="Korean")])
        text = pdf_text(content)
        self.assertIn("Service Canada office", text)
        self.assertIn("SIN application", text)



class FamilyPlanAppointmentTests(PersonaTestCase):
    """The printed plan lists the case's upcoming appointments from haven.casework, those the reader may see."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        maple_settlement(cls)
        build_work(cls)
        past = timezone.now().replace(microsecond=0) - dt.timedelta(days=3)
        Appointment.objects.create(case=cls.case, title="Airport welcome", starts_at=past,
                                   ends_at=past + dt.timedelta(hours=1), place="Pearson airport", created_by=cls.owner)
        future = past + dt.timedelta(days=10)
        cancelled = Appointment.objects.create(case=cls.case, title="School visit", starts_at=future,
                                               ends_at=future + dt.timedelta(hours=1), place="Maple school",
                                               status=Appointment.Status.CANCELLED, created_by=cls.owner)
        cancelled.attendees.set([cls.owner, cls.volunteer])

    def fetch(self, user, language="en"):
        self.login_as(user)
        response = self.client.get(reverse("settlement_family_plan_pdf", args=[self.case.pk]) + f"?lang={language}")
        self.assertEqual(response.status_code, 200)
        return "".join(pdf_text(response.content).split())  # table cells wrap: compare without white space

    def test_staff_plan_lists_upcoming_appointments_with_place_and_interpreter(self):
        text = self.fetch(self.owner)
        self.assertIn("Upcomingappointments", text)
        self.assertIn("Bankaccountopening", text)
        self.assertIn("MainStreetbranch", text)
        self.assertIn("Interpreter:Korean", text)
        self.assertIn("https://meet.example.org/intake", text)  # a call prints its link as the place
        self.assertLess(text.find("Bankaccountopening"), text.find("https://meet.example.org/intake"))
        self.assertNotIn("Airportwelcome", text)  # over
        self.assertNotIn("Schoolvisit", text)  # cancelled

    def test_a_volunteer_prints_only_the_appointments_they_attend(self):
        text = self.fetch(self.volunteer, "fr")
        self.assertIn("Bankaccountopening", text)
        self.assertIn("Interprète:Coréen", text)
        self.assertNotIn("meet.example.org", text)


class CaseSummaryTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        maple_settlement(cls)

    def test_staff_print_the_summary(self):
        self.login_as(self.colleague)
        response = self.client.get(reverse("case_summary_pdf", args=[self.case.pk]))
        self.assertEqual(response.status_code, 200)
        text = pdf_text(response.content)
        self.assertIn("MSS-2026-001", text)
        self.assertIn("Maple Language Centre", text)
        self.assertNotIn("Disclosed assault", text)

    def test_volunteer_gets_404(self):
        self.login_as(self.volunteer)
        self.assertEqual(self.client.get(reverse("case_summary_pdf", args=[self.case.pk])).status_code, 404)
