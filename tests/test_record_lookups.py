"""Every app's get_<kind>_for_user, built on haven.cases.access.get_visible_or_404: a user who may not see the
record, a missing id, an id out of the 64-bit range and a malformed one all get the same Http404 and message."""
from django.http import Http404
from django.urls import reverse

from haven.accounts import selectors as account_selectors
from haven.cases.access import (
    NOT_FOUND,
    get_attachment_for_user,
    get_case_for_user,
    get_household_for_user,
    get_item_for_admin,
    get_note_for_user,
    get_person_for_user,
)
from haven.cases.models import Note
from haven.claims.selectors import get_claim_for_user, get_event_for_user, get_evidence_item_for_user
from haven.claims.testing import maple_claim, maple_event, maple_evidence
from haven.matching import selectors as matching_selectors
from haven.matching.models import MatchCandidate, MergeRecord
from haven.testing.personas import PersonaTestCase


class EveryLookupAnswersAlikeTests(PersonaTestCase):
    """Each app's get_<kind>_for_user: the outsider, a missing id and a huge id get the same Http404."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.claim, cls.event, cls.evidence = maple_claim(cls), maple_event(cls), maple_evidence(cls)
        cls.candidate = MatchCandidate.objects.create(organization=cls.org, person_a=cls.person, person_b=cls.child,
                                                      match_probability=0.9, match_weight=5.0, comparisons=[])
        cls.merge = MergeRecord.objects.create(kept=cls.person, absorbed=cls.child, snapshot={})

    def lookups(self):
        """(name, lookup(user, pk), the visible record's pk, a user who may not see it)."""
        membership = self.owner.memberships.get()
        return [
            ("case", get_case_for_user, self.case.pk, self.outsider),
            ("household", get_household_for_user, self.household.pk, self.outsider),
            ("person", get_person_for_user, self.person.pk, self.outsider),
            ("note", get_note_for_user, self.note.pk, self.volunteer),  # confidential: the volunteer may not
            ("attachment", get_attachment_for_user, self.attachment.pk, self.volunteer),
            ("deleted item", lambda user, pk: get_item_for_admin(user, Note, pk), self.note.pk, self.owner),
            ("claim", get_claim_for_user, self.claim.pk, self.outsider),
            ("claim event", get_event_for_user, self.event.pk, self.analyst),
            ("evidence", get_evidence_item_for_user, self.evidence.pk, self.other_volunteer),
            ("candidate", matching_selectors.get_candidate_for_user, self.candidate.pk, self.volunteer),
            ("merge", matching_selectors.get_merge_for_user, self.merge.pk, self.outsider),
            ("review organization", matching_selectors.get_review_organization_for_user, self.org.pk,
             self.analyst),
            ("organization", account_selectors.get_organization_for_admin, self.org.pk, self.owner),
            ("membership", lambda user, pk: account_selectors.get_membership_for_admin(user, self.org.pk, pk),
             membership.pk, self.owner),
        ]

    def test_the_allowed_user_gets_the_record(self):
        allowed = {"deleted item": self.admin, "organization": self.admin, "membership": self.admin}
        for name, lookup, pk, _hidden_from in self.lookups():
            with self.subTest(name):
                found = lookup(allowed.get(name, self.owner), pk)
                record = found[0] if isinstance(found, tuple) else found
                self.assertEqual(record.pk, pk)

    def test_hidden_missing_and_malformed_ids_look_the_same(self):
        for name, lookup, pk, hidden_from in self.lookups():
            allowed = self.admin if name in ("deleted item", "organization", "membership") else self.owner
            for label, user, given in (("hidden", hidden_from, pk), ("missing", allowed, 10**9),
                                       ("huge", allowed, str(2**64)), ("text", allowed, "1 OR 1=1")):
                with self.subTest(name, case=label):
                    with self.assertRaises(Http404) as raised:
                        lookup(user, given)
                    self.assertEqual(str(raised.exception), NOT_FOUND)

    def test_write_access_refused_like_a_missing_record(self):
        for lookup, pk in ((get_case_for_user, self.case.pk), (get_claim_for_user, self.claim.pk),
                           (get_event_for_user, self.event.pk), (get_evidence_item_for_user, self.evidence.pk)):
            with self.subTest(lookup.__name__):
                lookup(self.volunteer, pk)  # may read
                with self.assertRaisesMessage(Http404, NOT_FOUND):
                    lookup(self.volunteer, pk, write=True)


class WebPagesAnswerHugeIdsLikeMissingOnesTests(PersonaTestCase):
    """The pages' <int:...> routes take any number of digits: one beyond the 64-bit range is a missing record."""

    def test_pages_with_huge_ids(self):
        huge = 2**64
        self.login_as(self.admin)
        pages = [reverse(name, args=[huge]) for name in (
            "case_detail", "household_detail", "person_detail", "note_edit", "claim_detail", "claim_event_correct",
            "matching:candidate", "matching:merge_detail", "organization_members")]
        for page in pages:
            with self.subTest(page=page):
                self.assertEqual(self.client.get(page).status_code, 404)
        for form, data in ((reverse("matching:run"), {"organization": str(huge)}),
                           (reverse("matching:run"), {"organization": "x"}),
                           (reverse("note_restore", args=[huge]), {}),
                           (reverse("member_update", args=[self.org.pk, huge]), {"role": "caseworker"})):
            with self.subTest(form=form, data=data):
                self.assertEqual(self.client.post(form, data).status_code, 404)
