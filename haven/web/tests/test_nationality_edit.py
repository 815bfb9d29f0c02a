"""Changing a recorded nationality's status in place on the person page (HTMX and plain)."""
from __future__ import annotations

from django.urls import reverse

from haven.audit.models import Action, AuditEntry
from haven.people.models import Nationality
from haven.testing.personas import PersonaTestCase
from haven.web.tests.helpers import WebAssertions

HTMX = {"HX-Request": "true"}


class NationalityEditTests(WebAssertions, PersonaTestCase):
    def setUp(self):
        self.kp = self.person.nationalities.get(country="KP")
        self.kr = self.person.nationalities.get(country="KR")

    def url(self, item=None, person=None):
        return reverse("nationality_edit", args=[(person or self.person).pk, (item or self.kr).pk])

    def edit(self, data, item=None, htmx=False, user=None):
        self.login_as(user or self.owner)
        return self.client.post(self.url(item), data, headers=HTMX if htmx else {})

    def statuses(self):
        return dict(self.person.nationalities.values_list("country", "status"))

    def test_anonymous_is_sent_to_login(self):
        self.assert_login_redirect(self.url(), "post")

    def test_volunteer_analyst_and_outsider_get_404_and_change_nothing(self):
        for user in (self.volunteer, self.other_volunteer, self.analyst, self.outsider):
            with self.subTest(user=user.username):
                self.assert_not_found_for(user, self.url(), "post", {"status": "held"})
        self.assertEqual(self.statuses(), {"KP": "citizen", "KR": "unknown"})

    def test_get_is_not_allowed(self):
        self.login_as(self.owner)
        self.assertEqual(self.client.get(self.url()).status_code, 405)

    def test_nationality_of_another_person_is_404(self):
        other = Nationality.objects.create(person=self.child, country="KR", status=Nationality.Status.UNKNOWN)
        self.login_as(self.owner)
        response = self.client.post(self.url(other), {"status": "held"})
        self.assertEqual(response.status_code, 404)
        other.refresh_from_db()
        self.assertEqual(other.status, "unknown")

    def test_owner_colleague_and_admin_change_the_status_and_it_is_audited(self):
        for user, status in ((self.owner, "may_acquire"), (self.colleague, "refused"), (self.admin, "held")):
            with self.subTest(user=user.username):
                response = self.edit({"status": status, "note": f"Set by {user.username}"}, user=user)
                self.assertRedirects(response, reverse("person_detail", args=[self.person.pk])
                                     + "#person-nationalities", fetch_redirect_response=False)
                self.kr.refresh_from_db()
                self.assertEqual((self.kr.status, self.kr.note), (status, f"Set by {user.username}"))
                entry = AuditEntry.objects.filter(action=Action.UPDATE, object_type="people.nationality",
                                                  object_id=str(self.kr.pk)).latest("seq")
                self.assertEqual(entry.actor, user)
                self.assertEqual(entry.changes["status"]["new"], status)

    def test_htmx_returns_the_section_only(self):
        response = self.edit({"status": "may_acquire", "note": "Arrived via Thailand"}, htmx=True)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<html")
        self.assertContains(response, 'id="person-nationalities"')
        self.assertContains(response, "May be able to acquire")
        self.assertContains(response, "Arrived via Thailand")
        self.assertEqual(self.statuses()["KR"], "may_acquire")

    def test_the_two_koreas_rule_is_kept(self):
        for item, data, message in (
            (self.kp, {"status": "may_acquire"}, "For this country the status must be one of: Citizen."),
            (self.kp, {"status": "unknown"}, "For this country the status must be one of: Citizen."),
            (self.kr, {"status": "citizen"}, "Citizenship held, Entitled to acquire as of right, May be able to acquire, Citizenship refused"),
            (self.kr, {"status": "former"}, "Citizenship held, Entitled to acquire as of right, May be able to acquire, Citizenship refused"),
            (self.kr, {"status": "bogus"}, "Select a valid choice"),
        ):
            with self.subTest(country=item.country, data=data):
                response = self.edit(data, item=item, htmx=True)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, 'class="errorlist')
                self.assertContains(response, message)
                self.assertContains(response, "<details open>")
        self.assertEqual(self.statuses(), {"KP": "citizen", "KR": "unknown"})
        self.assertFalse(AuditEntry.objects.filter(action=Action.UPDATE, object_type="people.nationality").exists())

    def test_plain_post_with_errors_redisplays_the_page_with_the_bound_form(self):
        response = self.edit({"status": "citizen", "note": "Typed note"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<html")
        self.assertContains(response, "For this country the status must be one of")
        self.assertContains(response, 'value="Typed note"')
        self.assertEqual(self.statuses()["KR"], "unknown")

    def test_other_countries_take_any_status(self):
        cn = Nationality.objects.create(person=self.person, country="CN", status=Nationality.Status.UNKNOWN)
        self.edit({"status": "former"}, item=cn)
        cn.refresh_from_db()
        self.assertEqual(cn.status, "former")

    def test_page_offers_the_edit_form_only_where_allowed(self):
        self.login_as(self.owner)
        response = self.client.get(reverse("person_detail", args=[self.person.pk]))
        self.assertContains(response, self.url(self.kr))
        self.assertContains(response, self.url(self.kp))
        # The KR select offers only the statuses the rule allows (ids are unique per item).
        form = response.context["sections"][1]["rows"][1][1]
        self.assertEqual([value for value, _label in form.fields["status"].widget.choices],
                         ["held", "entitled", "may_acquire", "refused", "unknown"])
        self.assertContains(response, f'id="id_nationalities_{self.kr.pk}_status"')
        self.login_as(self.volunteer)
        response = self.client.get(reverse("person_detail", args=[self.person.pk]))
        self.assertNotContains(response, self.url(self.kr))


class NationalityEditConflictTests(WebAssertions, PersonaTestCase):
    """Two people edit the same nationality from pages opened at the same version: the second is refused, told
    what is stored now, and can apply their change again; nothing either saved is lost unseen."""

    def setUp(self):
        self.kr = self.person.nationalities.get(country="KR")
        self.url = reverse("nationality_edit", args=[self.person.pk, self.kr.pk])
        self.login_as(self.owner)

    def first_writer_saves(self):
        from haven.people import services as people_services

        people_services.update_nationality(actor=self.colleague, nationality=self.kr, status="may_acquire",
                                           note="Set by the colleague", expected_version=1)

    def test_the_edit_form_carries_the_version(self):
        page = self.client.get(reverse("person_detail", args=[self.person.pk]))
        self.assertContains(page, f'name="version" value="{self.kr.version}"')

    def test_a_stale_inline_edit_is_refused_with_the_current_value_and_can_be_applied_again(self):
        self.first_writer_saves()
        audited = AuditEntry.objects.filter(action=Action.UPDATE, object_id=str(self.kr.pk)).count()
        response = self.client.post(self.url, {"status": "refused", "note": "Mine", "version": 1}, headers=HTMX)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Someone else changed this entry")
        self.assertContains(response, "Set by the colleague")  # the current value, in the message and the list
        self.assertContains(response, 'name="version" value="2"')  # saving again applies it on the current one
        stored = Nationality.objects.get(pk=self.kr.pk)
        self.assertEqual((stored.status, stored.note, stored.version), ("may_acquire", "Set by the colleague", 2))
        self.assertEqual(AuditEntry.objects.filter(action=Action.UPDATE, object_id=str(self.kr.pk)).count(), audited)
        again = self.client.post(self.url, {"status": "refused", "note": "Mine", "version": 2}, headers=HTMX)
        self.assertEqual(again.status_code, 200)
        stored.refresh_from_db()
        self.assertEqual((stored.status, stored.note, stored.version), ("refused", "Mine", 3))

    def test_a_stale_plain_edit_shows_the_person_page_with_the_conflict(self):
        self.first_writer_saves()
        response = self.client.post(self.url, {"status": "refused", "note": "Mine", "version": 1})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Someone else changed this entry")
        self.assertEqual(Nationality.objects.get(pk=self.kr.pk).status, "may_acquire")
