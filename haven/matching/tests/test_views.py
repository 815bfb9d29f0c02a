from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from haven.audit.models import Action, AuditEntry
from haven.audit.verify import verify_chain
from haven.matching.models import MatchCandidate, MergeRecord, NotSamePerson
from haven.matching.services import unmerge
from haven.testing.factories import PersonFactory
from haven.testing.personas import PersonaTestCase

# Statements of one audit append in a test's transaction, on every database (the MAC is computed in the application,
# audit migration 0004): SAVEPOINT, SELECT head, INSERT, UPDATE head, RELEASE SAVEPOINT.
AUDIT_APPEND_STATEMENTS = 5


class ReviewQueueViewTests(PersonaTestCase):
    def setUp(self):
        self.dup = PersonFactory(household=self.household, family_name="Lee", given_name="Myung-chul",
                                 family_name_hangul="", given_name_hangul="", birth_date=self.person.birth_date,
                                 relationship="other_relative")
        self.item = MatchCandidate.objects.create(
            organization=self.org, person_a=self.person, person_b=self.dup, match_probability=0.97,
            match_weight=8.5, comparisons=[{"comparison": "name", "level": "Same name skeleton",
                                            "match_weight": 13.0}])

    def test_staff_see_queue_and_side_by_side_with_weights(self):
        for n in range(3):  # the count does not grow with the queue
            other = PersonFactory(household=self.household, relationship="other_relative")
            MatchCandidate.objects.create(organization=self.org, person_a=self.person, person_b=other,
                                          match_probability=0.6, match_weight=1.0 + n, comparisons=[])
        self.login_as(self.owner)
        with self.assertNumQueries(5 + AUDIT_APPEND_STATEMENTS):
            response = self.client.get(reverse("matching:queue"))
        assert response.status_code == 200
        assert "Myung-chul" in response.content.decode()
        assert AuditEntry.objects.filter(action=Action.LIST, summary="duplicate review queue").exists()
        response = self.client.get(reverse("matching:candidate", args=[self.item.pk]))
        body = response.content.decode()
        assert response.status_code == 200 and "Names sound the same" in body and "13.0" in body
        assert AuditEntry.objects.filter(action=Action.VIEW, object_id=str(self.dup.pk)).exists()

    def test_side_by_side_names_values_and_links_both_people_and_households(self):
        self.person.birth_country = "KP"
        self.person.save(update_fields=["birth_country"])
        self.login_as(self.owner)
        body = self.client.get(reverse("matching:candidate", args=[self.item.pk]), HTTP_ACCEPT_LANGUAGE="ko"
                               ).content.decode()
        for url in (reverse("person_detail", args=[self.person.pk]), reverse("person_detail", args=[self.dup.pk]),
                    reverse("household_detail", args=[self.household.pk])):
            assert f'href="{url}"' in body
        assert "HH-001 · Ri family" in body
        assert "조선민주주의인민공화국" in body and "<td>KP</td>" not in body  # the country by name
        with translation.override("ko"):
            sex = self.person.get_sex_display()
        assert self.person.sex and f"<td>{sex}</td>" in body and f"<td>{self.person.sex}</td>" not in body

    def test_outsiders_volunteers_and_analysts_get_404(self):
        self.login_as(self.outsider)  # staff of another organization: an empty queue of their own
        response = self.client.get(reverse("matching:queue"))
        assert response.status_code == 200 and "Myung-chul" not in response.content.decode()
        for user in (self.volunteer, self.analyst, self.other_volunteer):
            self.login_as(user)
            assert self.client.get(reverse("matching:queue")).status_code == 404, user
        for user in (self.outsider, self.volunteer, self.analyst, self.other_volunteer):
            self.login_as(user)
            assert self.client.get(reverse("matching:candidate", args=[self.item.pk])).status_code == 404
            assert self.client.post(reverse("matching:not_same", args=[self.item.pk])).status_code == 404
            assert self.client.post(reverse("matching:merge", args=[self.item.pk]), {"keep": "a"}).status_code == 404
            assert self.client.post(reverse("matching:run"), {"organization": self.org.pk}).status_code == 404
        assert not NotSamePerson.objects.exists() and not MergeRecord.objects.exists()
        self.client.logout()
        assert self.client.get(reverse("matching:queue")).status_code == 302

    def test_outsider_sees_an_empty_queue_of_their_own_not_ours(self):
        self.login_as(self.counsel)  # staff of the clinic, not of Maple
        response = self.client.get(reverse("matching:candidate", args=[self.item.pk]))
        assert response.status_code == 404

    def test_not_same_is_remembered(self):
        self.login_as(self.owner)
        response = self.client.post(reverse("matching:not_same", args=[self.item.pk]))
        assert response.status_code == 302
        assert NotSamePerson.objects.filter(person_a=self.person, person_b=self.dup).exists()
        self.item.refresh_from_db()
        assert self.item.status == MatchCandidate.Status.NOT_SAME

    def test_merge_and_unmerge_through_the_pages_keep_the_chain(self):
        self.login_as(self.owner)
        response = self.client.post(reverse("matching:merge", args=[self.item.pk]), {"keep": "a"})
        merge = MergeRecord.objects.get()
        assert response.status_code == 302 and merge.kept == self.person and merge.absorbed == self.dup
        assert self.client.get(reverse("matching:merge_detail", args=[merge.pk])).status_code == 200
        self.login_as(self.outsider)
        assert self.client.post(reverse("matching:unmerge", args=[merge.pk])).status_code == 404
        assert self.client.get(reverse("matching:merge_detail", args=[merge.pk])).status_code == 404
        self.login_as(self.owner)
        assert self.client.post(reverse("matching:unmerge", args=[merge.pk])).status_code == 302
        merge.refresh_from_db()
        assert merge.undone_at is not None
        assert verify_chain().ok

    def test_undoing_a_merge_twice_says_why_in_the_reader_s_language(self):
        self.login_as(self.owner)
        self.client.post(reverse("matching:merge", args=[self.item.pk]), {"keep": "a"}, follow=True)
        merge = MergeRecord.objects.get()
        self.client.post(reverse("matching:unmerge", args=[merge.pk]), follow=True)  # shows its own messages
        undone = MergeRecord.objects.get().undone_at
        for language, expected in (("en", "This merge was already undone."),
                                   ("fr", "Cette fusion a déjà été annulée."), ("ko", "이 병합은 이미 취소되었습니다.")):
            response = self.client.post(reverse("matching:unmerge", args=[merge.pk]), follow=True,
                                        HTTP_ACCEPT_LANGUAGE=language)
            assert [str(m) for m in response.context["messages"]] == [expected]
        assert MergeRecord.objects.get().undone_at == undone
        with translation.override("fr"):
            try:
                unmerge(actor=self.owner, merge=MergeRecord.objects.get())
            except ValidationError as error:
                assert error.messages == ["Cette fusion a déjà été annulée."]
            else:
                raise AssertionError("a merge was undone twice")

    def test_side_by_side_labels_are_translated(self):
        self.login_as(self.owner)
        response = self.client.get(reverse("matching:candidate", args=[self.item.pk]), HTTP_ACCEPT_LANGUAGE="fr")
        body = response.content.decode()
        assert response.status_code == 200
        assert "Date de naissance" in body and "birth_date" not in body

    def test_navigation_links_the_queue_for_staff_only(self):
        queue = reverse("matching:queue")
        self.login_as(self.owner)
        assert f'href="{queue}"' in self.client.get(reverse("dashboard")).content.decode()
        for user in (self.volunteer, self.analyst):
            self.login_as(user)
            assert f'href="{queue}"' not in self.client.get(reverse("dashboard")).content.decode(), user

    def test_levels_are_shown_in_words_even_splinks_null_level(self):
        self.item.comparisons = [{"comparison": "birth_place", "level": "place_l IS NULL OR place_r IS NULL",
                                  "match_weight": 0.0}]
        self.item.save(update_fields=["comparisons"])
        self.login_as(self.owner)
        body = self.client.get(reverse("matching:candidate", args=[self.item.pk])).content.decode()
        assert "Missing in one of the records" in body and "IS NULL" not in body and "Place of birth" in body
