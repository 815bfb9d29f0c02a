"""Dashboard, case creation, case page and case edit: access per persona, validation, audit."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse

from haven.audit.models import Action, AuditEntry
from haven.audit.services import record, record_views
from haven.cases.models import Case, CaseAssignment
from haven.people.models import Household, Person
from haven.testing.personas import PersonaTestCase
from haven.web.tests.helpers import WebAssertions


class DashboardTests(WebAssertions, PersonaTestCase):
    url = reverse("dashboard")

    def test_anonymous_is_sent_to_login(self):
        self.assert_login_redirect(self.url)

    def test_owner_sees_assigned_case_and_counts(self):
        self.login_as(self.owner)
        response = self.client.get(self.url)
        self.assertContains(response, "MSS-2026-001")
        board = response.context["board"]
        self.assertEqual([case.pk for case in board.mine], [self.case.pk])
        self.assertEqual(board.status_counts["open"], 1)
        entry = AuditEntry.objects.filter(action=Action.LIST, actor=self.owner).latest("seq")
        self.assertEqual(entry.changes["case_ids"], [self.case.pk])

    def test_colleague_sees_it_among_recent_cases(self):
        self.login_as(self.colleague)
        board = self.client.get(self.url).context["board"]
        self.assertEqual(board.mine, [])
        self.assertEqual([case.pk for case in board.recent], [self.case.pk])

    def test_recent_cases_are_named_for_what_the_reader_sees(self):
        self.login_as(self.colleague)
        self.assertContains(self.client.get(self.url), "Recent cases of my organization")
        self.login_as(self.volunteer)  # sees their sponsor group's cases, not the organization's
        response = self.client.get(self.url)
        self.assertContains(response, "Recent cases of my sponsor group")
        self.assertContains(response, "MSS-2026-001")

    def test_analyst_gets_the_aggregate_only_notice(self):
        self.login_as(self.analyst)
        response = self.client.get(self.url)
        self.assertContains(response, "aggregate reports only")
        self.assertNotContains(response, "MSS-2026-001")
        self.assertIsNone(response.context["board"])

    def test_outsider_sees_only_their_organization(self):
        self.login_as(self.outsider)
        response = self.client.get(self.url)
        self.assertContains(response, "HLC-2026-077")
        self.assertNotContains(response, "MSS-2026-001")
        self.assertNotContains(response, "aggregate reports only")


class CaseDetailTests(WebAssertions, PersonaTestCase):
    def url(self, pk=None):
        return reverse("case_detail", args=[pk or self.case.pk])

    def test_anonymous_is_sent_to_login(self):
        self.assert_login_redirect(self.url())

    def test_owner_and_colleague_see_everything_but_history(self):
        for user in (self.owner, self.colleague, self.counsel):
            with self.subTest(user=user.username):
                self.login_as(user)
                response = self.client.get(self.url())
                self.assertContains(response, "MSS-2026-001")
                self.assertContains(response, reverse("person_detail", args=[self.person.pk]))
                self.assertContains(response, reverse("person_detail", args=[self.child.pk]))
                self.assertContains(response, "family in Hyesan at risk")
                self.assertContains(response, "Airport pickup")
                self.assertContains(response, reverse("attachment_download", args=[self.attachment.pk]))
                self.assertContains(response, reverse("attachment_upload", args=[self.case.pk]))
                self.assertContains(response, "owner@maple.test")  # assignments
                self.assertContains(response, reverse("case_edit", args=[self.case.pk]))
                self.assertNotContains(response, 'id="history"')

    def test_volunteer_sees_no_confidential_note_or_file_and_cannot_edit(self):
        self.login_as(self.volunteer)
        response = self.client.get(self.url())
        self.assertContains(response, "MSS-2026-001")
        self.assertContains(response, "Airport pickup")
        self.assertNotContains(response, "Hyesan")
        self.assertNotContains(response, "boc.pdf")
        self.assertNotContains(response, "Disclosed at intake")
        self.assertNotContains(response, reverse("case_edit", args=[self.case.pk]))
        self.assertNotContains(response, reverse("attachment_upload", args=[self.case.pk]))
        self.assertNotContains(response, 'name="confidential"')
        self.assertContains(response, reverse("note_create", args=[self.case.pk]))

    def test_strangers_get_404_like_a_missing_case(self):
        for user in (self.outsider, self.other_volunteer, self.analyst):
            with self.subTest(user=user.username):
                self.assert_not_found_for(user, self.url())
        self.assert_not_found_for(self.owner, reverse("case_detail", args=[999999]))

    def test_views_are_audited_for_case_persons_and_shown_notes(self):
        self.login_as(self.volunteer)
        self.client.get(self.url())
        self.assertEqual(self.view_rows(self.volunteer, self.case), 1)
        self.assertEqual(self.view_rows(self.volunteer, self.person), 1)
        self.assertEqual(self.view_rows(self.volunteer, self.child), 1)
        self.assertEqual(self.view_rows(self.volunteer, self.open_note), 1)
        self.assertEqual(self.view_rows(self.volunteer, self.note), 0)  # not shown, not logged
        self.assertEqual(AuditEntry.objects.filter(actor=self.volunteer, action=Action.VIEW)
                         .values_list("case_id", flat=True).distinct().get(), self.case.pk)

    def test_administrator_sees_the_history_with_actor_action_and_changed_fields(self):
        record(actor=self.owner, action=Action.UPDATE, obj=self.case, case_id=self.case.pk,
               changes={"title": {"old": "Old title", "new": "Ri family sponsorship"}})
        record(actor=self.colleague, action=Action.UPDATE, obj=self.person,
               changes={"birth_place": {"old": "", "new": "Hoeryong"}})
        record(actor=self.outsider, action=Action.UPDATE, obj=self.other_person,
               changes={"birth_place": {"old": "", "new": "Elsewhere-only"}})
        self.login_as(self.admin)
        response = self.client.get(self.url())
        self.assertContains(response, 'id="history"')
        history = response.content.decode().split('id="history"')[1]
        self.assertIn("owner@maple.test", history)
        self.assertIn("Old title", history)
        self.assertIn("colleague@maple.test", history)
        self.assertIn("Hoeryong", history)
        self.assertIn("Updated", history)
        self.assertNotIn("Elsewhere-only", history)
        self.assertIn(f"<td>Person #{self.person.pk}</td>", history)  # not the audit log's "people.person"
        self.assertNotIn("<td>Viewed</td>", history)  # changes only, unless asked for every entry
        self.assertIn(f"<td>Case #{self.case.pk}</td>", history)
        korean = self.client.get(self.url(), HTTP_ACCEPT_LANGUAGE="ko").content.decode().split('id="history"')[1]
        self.assertIn(f"<td>사람 #{self.person.pk}</td>", korean)


class CaseHistoryTests(WebAssertions, PersonaTestCase):
    def history(self, query="") -> str:
        self.login_as(self.admin)
        response = self.client.get(reverse("case_detail", args=[self.case.pk]) + query)
        return response.content.decode().split('id="history"')[1]

    def test_views_do_not_push_the_changes_out_of_the_history(self):
        record(actor=self.owner, action=Action.UPDATE, obj=self.case, case_id=self.case.pk,
               changes={"title": {"old": "First title", "new": "Ri family sponsorship"}})
        record_views(actor=self.colleague, objects=[(self.case, self.case.pk)] * 600)  # more than the page shows
        changes = self.history()
        self.assertIn("First title", changes)
        self.assertNotIn("<td>Viewed</td>", changes)
        everything = self.history("?history=all")
        self.assertIn("<td>Viewed</td>", everything)
        self.assertNotIn("First title", everything)  # 500 newest entries: all views


class CaseCreateTests(WebAssertions, PersonaTestCase):
    url = reverse("case_create")

    def new_household_data(self, **overrides):
        data = {"organization": self.org.pk, "reference": "MSS-2026-050", "title": "Jo family",
                "kind": Case.Kind.SPONSORSHIP, "sponsor_group": self.group_b.pk, "opened_on": "2026-03-02",
                "household": "", "household_reference": "HH-050", "household_name": "Jo family",
                "family_name": "Jo", "given_name": "Ŭn-hye", "family_name_hangul": "조", "given_name_hangul": "은혜"}
        data.update(overrides)
        return data

    def test_anonymous_is_sent_to_login(self):
        self.assert_login_redirect(self.url)

    def test_volunteer_and_analyst_cannot_open_cases(self):
        for user in (self.volunteer, self.analyst):
            with self.subTest(user=user.username):
                self.login_as(user)
                self.assertEqual(self.client.get(self.url).status_code, 404)
                self.assertEqual(self.client.post(self.url, self.new_household_data()).status_code, 404)
        self.assertFalse(Case.objects.filter(reference="MSS-2026-050").exists())

    def test_form_offers_only_own_organization_households(self):
        self.login_as(self.owner)
        response = self.client.get(self.url)
        self.assertContains(response, "HH-001")
        self.assertNotContains(response, "HH-900")

    def test_new_household_principal_and_case_in_one_go(self):
        self.login_as(self.owner)
        response = self.client.post(self.url, self.new_household_data())
        case = Case.objects.get(reference="MSS-2026-050")
        self.assertRedirects(response, reverse("case_detail", args=[case.pk]))
        self.assertEqual(case.household.name, "Jo family")
        self.assertEqual(case.household.reference, "HH-050")
        principal = case.household.members.get()
        self.assertEqual((principal.family_name_hangul, principal.relationship), ("조", "principal"))
        self.assertTrue(CaseAssignment.objects.filter(case=case, user=self.owner, role="lead").exists())
        self.assertIn("|jounhye|", case.search_key)
        self.assertIn("조은혜", case.search_key)
        self.assertTrue(AuditEntry.objects.filter(action=Action.CREATE, object_type="cases.case",
                                                  object_id=str(case.pk), actor=self.owner).exists())
        self.assertTrue(AuditEntry.objects.filter(action=Action.CREATE, object_type="people.person",
                                                  object_id=str(principal.pk)).exists())

    def test_existing_household(self):
        self.login_as(self.colleague)
        response = self.client.post(self.url, self.new_household_data(
            household=self.household.pk, household_name="", family_name="", given_name="",
            family_name_hangul="", given_name_hangul="", kind=Case.Kind.SETTLEMENT))
        case = Case.objects.get(reference="MSS-2026-050")
        self.assertRedirects(response, reverse("case_detail", args=[case.pk]))
        self.assertEqual(case.household, self.household)
        self.assertEqual(Person.objects.filter(household=self.household).count(), 2)

    def test_validation_errors_are_shown_and_nothing_is_saved(self):
        self.login_as(self.owner)
        households = Household.objects.count()
        cases = [
            (self.new_household_data(household_name="", family_name="", given_name="", family_name_hangul="",
                                     given_name_hangul=""), "Choose an existing household or name the new one."),
            (self.new_household_data(reference="MSS-2026-001"), "already has this reference"),
            (self.new_household_data(household_reference="HH-001"), "already has this reference"),
            (self.new_household_data(household=self.other_household.pk), "Select a valid choice"),
            (self.new_household_data(opened_on="not a date"), "Enter a valid date."),
        ]
        for data, message in cases:
            with self.subTest(message=message):
                response = self.client.post(self.url, data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, 'class="errorlist')
                self.assertContains(response, message)
        self.assertEqual(Household.objects.count(), households)
        self.assertFalse(Case.objects.filter(reference="MSS-2026-050").exists())
        self.assertEqual(Case.objects.filter(reference="MSS-2026-001").count(), 1)

    def test_outsider_cannot_use_another_organization(self):
        self.login_as(self.outsider)
        response = self.client.post(self.url, self.new_household_data())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Select a valid choice")
        self.assertFalse(Case.objects.filter(reference="MSS-2026-050").exists())


class CaseEditTests(WebAssertions, PersonaTestCase):
    def url(self):
        return reverse("case_edit", args=[self.case.pk])

    def data(self, **overrides):
        data = {"reference": "MSS-2026-001", "title": "Ri family sponsorship (renamed)", "kind": "sponsorship",
                "status": "open", "sponsor_group": self.group_a.pk, "opened_on": "2026-01-15", "closed_on": ""}
        data.update(overrides)
        return data

    def test_anonymous_is_sent_to_login(self):
        self.assert_login_redirect(self.url())

    def test_owner_and_colleague_edit_and_it_is_audited(self):
        for user, title in ((self.owner, "First"), (self.colleague, "Second")):
            with self.subTest(user=user.username):
                self.login_as(user)
                self.assertContains(self.client.get(self.url()), "MSS-2026-001")
                response = self.client.post(self.url(), self.data(title=title))
                self.assertRedirects(response, reverse("case_detail", args=[self.case.pk]))
                self.case.refresh_from_db()
                self.assertEqual(self.case.title, title)
                entry = AuditEntry.objects.filter(action=Action.UPDATE, object_type="cases.case").latest("seq")
                self.assertEqual(entry.actor, user)
                self.assertEqual(entry.changes["title"]["new"], title)

    def test_volunteer_analyst_outsider_get_404(self):
        for user in (self.volunteer, self.other_volunteer, self.analyst, self.outsider):
            with self.subTest(user=user.username):
                self.assert_not_found_for(user, self.url())
                self.assert_not_found_for(user, self.url(), "post", self.data(title="Hacked"))
        self.case.refresh_from_db()
        self.assertEqual(self.case.title, "Ri family sponsorship")

    def test_closing_needs_a_date_and_bad_input_saves_nothing(self):
        self.login_as(self.owner)
        response = self.client.post(self.url(), self.data(status="closed", title="Changed"))
        self.assertContains(response, "A closed case needs the date it was closed.")
        response = self.client.post(self.url(), self.data(status="closed", closed_on="2025-01-01"))
        self.assertContains(response, "A case cannot close before it opened.")
        response = self.client.post(self.url(), self.data(sponsor_group=999999))
        self.assertContains(response, "Select a valid choice")
        self.case.refresh_from_db()
        self.assertEqual((self.case.status, self.case.title), ("open", "Ri family sponsorship"))
        response = self.client.post(self.url(), self.data(status="closed", closed_on="2026-06-30"))
        self.case.refresh_from_db()
        self.assertEqual((self.case.status, self.case.closed_on), ("closed", dt.date(2026, 6, 30)))

    def test_duplicate_reference_is_refused_on_the_field(self):
        from haven.testing.factories import CaseFactory

        CaseFactory(household=self.household, organization=self.org, reference="MSS-2026-099")
        self.login_as(self.owner)
        response = self.client.post(self.url(), self.data(reference="MSS-2026-099"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'class="errorlist')
        self.assertContains(response, "already has this reference")
        self.case.refresh_from_db()
        self.assertEqual(self.case.reference, "MSS-2026-001")

    def test_service_validation_errors_land_on_the_form(self):
        from unittest import mock

        from django.core.exceptions import ValidationError

        self.login_as(self.owner)
        error = ValidationError({"sponsor_group": "Choose a sponsor group, not a staff team.",
                                 "household": "The household belongs to another organization."})
        with mock.patch("haven.cases.services.update_case", side_effect=error):
            response = self.client.post(self.url(), self.data(title="Changed"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Choose a sponsor group, not a staff team.")
        self.assertContains(response, "The household belongs to another organization.")
        self.assertEqual(response.context["form"].errors["sponsor_group"],
                         ["Choose a sponsor group, not a staff team."])
