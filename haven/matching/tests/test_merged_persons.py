"""A merge finishes the job: it asks for confirmation showing what will move; the absorbed person then leaves
every list, household, search, count and API answer as themselves and shows, to those who may see them, as merged
into the kept person with a link; un-merging puts them back in place. The rule is in the model's manager and the
services, so the API and the imports obey it as the pages do."""
from __future__ import annotations

from django.urls import reverse

from haven.cases.selectors import case_list
from haven.matching.models import MatchCandidate, MergeRecord
from haven.matching.services import merge_persons, unmerge
from haven.people.models import Nationality, Person
from haven.people.selectors import household_members
from haven.testing.factories import PersonFactory
from haven.testing.personas import PersonaTestCase


class MergedPersonTests(PersonaTestCase):
    def setUp(self):
        self.dup = PersonFactory(household=self.household, family_name="Lee", given_name="Myung-chul",
                                 family_name_hangul="", given_name_hangul="", birth_date=self.person.birth_date,
                                 relationship="other_relative")
        Nationality.objects.create(person=self.dup, country="CN", status=Nationality.Status.FORMER)
        self.item = MatchCandidate.objects.create(
            organization=self.org, person_a=self.person, person_b=self.dup, match_probability=0.97,
            match_weight=8.5, comparisons=[])

    def test_merging_asks_for_confirmation_showing_what_will_move(self):
        self.login_as(self.owner)
        url = reverse("matching:merge", args=[self.item.pk])
        candidate_page = self.client.get(reverse("matching:candidate", args=[self.item.pk])).content.decode()
        assert f'action="{url}"' in candidate_page and 'method="get"' in candidate_page
        response = self.client.get(url, {"keep": "a"})
        self.assertContains(response, "Confirm the merge")
        self.assertContains(response, "Name added as another spelling: Lee Myung-chul")
        self.assertContains(response, "Nationalities: 1")
        assert not MergeRecord.objects.exists()  # looking is not merging
        self.assertEqual(self.client.get(url, {"keep": "c"}).status_code, 404)
        response = self.client.post(url, {"keep": "a"})
        merge = MergeRecord.objects.get()
        self.assertRedirects(response, reverse("matching:merge_detail", args=[merge.pk]))

    def test_the_absorbed_person_leaves_every_list_and_shows_as_merged(self):
        merge = merge_persons(actor=self.owner, kept=self.person, absorbed=self.dup, candidate=self.item)
        assert self.dup.pk not in {p.pk for p in household_members(self.household)}
        assert not Person.objects.filter(pk=self.dup.pk).exists()
        self.login_as(self.owner)
        household_page = self.client.get(reverse("household_detail", args=[self.household.pk]))
        self.assertNotContains(household_page, "Myung-chul")
        page = self.client.get(reverse("person_detail", args=[self.dup.pk]))
        self.assertContains(page, "This record was merged into")
        self.assertContains(page, reverse("person_detail", args=[self.person.pk]))
        self.assertContains(page, reverse("matching:merge_detail", args=[merge.pk]))
        self.assertEqual(self.client.get(reverse("person_edit", args=[self.dup.pk])).status_code, 404)
        # The API, the search and the case list's member count leave them out too.
        self.assertEqual(self.client.get(f"/api/v1/persons/{self.dup.pk}/").status_code, 404)
        listed = {row["id"] for row in self.client.get("/api/v1/persons/").json()["results"]}
        assert self.dup.pk not in listed and self.person.pk in listed
        self.assertNotContains(self.client.get(reverse("search"), {"q": "Myung-chul"}), "Myung-chul Lee")
        members = {case.pk: case.member_count for case in case_list(user=self.owner)}
        assert members[self.case.pk] == 2
        # The volunteer, who may see the household, sees the mark too, without the staff-only merge link.
        self.login_as(self.volunteer)
        page = self.client.get(reverse("person_detail", args=[self.dup.pk]))
        self.assertContains(page, "This record was merged into")
        self.assertNotContains(page, reverse("matching:merge_detail", args=[merge.pk]))

    def test_unmerging_restores_them_in_place(self):
        merge = merge_persons(actor=self.owner, kept=self.person, absorbed=self.dup)
        self.login_as(self.owner)
        self.client.post(reverse("matching:unmerge", args=[merge.pk]))
        self.dup.refresh_from_db()
        assert self.dup.merged_into_id is None
        assert self.dup.pk in {p.pk for p in household_members(self.household)}
        assert Nationality.objects.get(country="CN").person_id == self.dup.pk
        self.assertContains(self.client.get(reverse("household_detail", args=[self.household.pk])), "Myung-chul")

    def test_an_absorbed_principal_cannot_come_back_beside_a_new_one(self):
        merge = merge_persons(actor=self.owner, kept=self.dup, absorbed=self.person)
        self.child.relationship = "principal"
        self.child.save(update_fields=["relationship"])  # the household has a principal applicant again
        self.login_as(self.owner)
        response = self.client.post(reverse("matching:unmerge", args=[merge.pk]), follow=True)
        self.assertContains(response, "now has another one")
        merge.refresh_from_db()
        assert merge.undone_at is None
        unmerge_refused = Person.all_objects.get(pk=self.person.pk).merged_into_id
        assert unmerge_refused == self.dup.pk

    def test_the_review_queue_leaves_out_pairs_with_a_merged_person(self):
        merge_persons(actor=self.owner, kept=self.child, absorbed=self.dup)
        self.login_as(self.owner)
        self.assertNotContains(self.client.get(reverse("matching:queue")), "Myung-chul")
