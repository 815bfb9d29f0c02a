"""The access rules themselves, persona by persona (views and API have their own tests)."""
from django.http import Http404

from haven.cases.access import (
    get_attachment_for_user,
    get_case_for_user,
    get_note_for_user,
    get_person_for_user,
    visible_cases,
    visible_persons,
)
from haven.testing.personas import PersonaTestCase


class CaseVisibilityTests(PersonaTestCase):
    def test_staff_assigned_and_group_volunteer_see_the_case(self):
        for user in (self.owner, self.colleague, self.admin, self.volunteer, self.counsel):
            with self.subTest(user=user.username):
                self.assertIn(self.case, visible_cases(user))

    def test_outsiders_analyst_and_other_group_do_not(self):
        for user in (self.outsider, self.analyst, self.other_volunteer):
            with self.subTest(user=user.username):
                self.assertNotIn(self.case, visible_cases(user))
                with self.assertRaises(Http404):
                    get_case_for_user(user, self.case.pk)

    def test_unknown_and_forbidden_look_the_same(self):
        with self.assertRaisesMessage(Http404, "No such record."):
            get_case_for_user(self.outsider, self.case.pk)
        with self.assertRaisesMessage(Http404, "No such record."):
            get_case_for_user(self.outsider, 999999)
        with self.assertRaisesMessage(Http404, "No such record."):
            get_case_for_user(self.outsider, "not-a-number")

    def test_volunteer_is_read_only_and_sees_no_confidential_material(self):
        case, perms = get_case_for_user(self.volunteer, self.case.pk)
        self.assertFalse(perms.can_write)
        self.assertFalse(perms.see_confidential)
        with self.assertRaises(Http404):
            get_case_for_user(self.volunteer, self.case.pk, write=True)
        with self.assertRaises(Http404):
            get_note_for_user(self.volunteer, self.note.pk)
        with self.assertRaises(Http404):
            get_attachment_for_user(self.volunteer, self.attachment.pk)
        note, _ = get_note_for_user(self.volunteer, self.open_note.pk)
        self.assertEqual(note, self.open_note)

    def test_cross_organization_counsel_has_full_access_to_assigned_case_only(self):
        _, perms = get_case_for_user(self.counsel, self.case.pk, write=True)
        self.assertTrue(perms.see_confidential)
        self.assertNotIn(self.other_case, visible_cases(self.counsel).exclude(pk=self.case.pk).filter(
            organization=self.org))

    def test_only_administrators_see_history(self):
        self.assertTrue(get_case_for_user(self.admin, self.case.pk)[1].can_view_history)
        self.assertFalse(get_case_for_user(self.owner, self.case.pk)[1].can_view_history)

    def test_persons_follow_their_household(self):
        self.assertIn(self.person, visible_persons(self.volunteer))
        self.assertNotIn(self.person, visible_persons(self.analyst))
        self.assertNotIn(self.person, visible_persons(self.outsider))
        self.assertIn(self.other_person, visible_persons(self.outsider))
        with self.assertRaises(Http404):
            get_person_for_user(self.outsider, self.person.pk)
        with self.assertRaises(Http404):
            get_person_for_user(self.volunteer, self.person.pk, write=True)
