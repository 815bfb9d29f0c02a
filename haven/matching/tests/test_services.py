
import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from haven.audit.models import Action, AuditEntry
from haven.audit.verify import verify_chain
from haven.matching.models import MatchCandidate, MergeRecord, NotSamePerson
from haven.matching.services import mark_not_same, merge_persons, run_batch, unmerge
from haven.people.models import Nationality, Person, PersonName, Vulnerability
from haven.people.services import remove_vulnerability
from haven.testing.factories import PersonFactory
from haven.testing.personas import PersonaTestCase


class ReviewQueueTests(PersonaTestCase):
    def _duplicate(self):
        return PersonFactory(household=self.household, family_name="Lee", given_name="Myung-chul",
                             family_name_hangul="", given_name_hangul="", birth_date=self.person.birth_date,
                             sex=self.person.sex, relationship="other_relative")

    def test_batch_queues_the_duplicate_with_weights_and_remembers_not_same(self):
        twin = self._duplicate()
        created = run_batch(actor=self.owner, organization=self.org)
        pairs = {(c.person_a_id, c.person_b_id) for c in created}
        assert tuple(sorted((self.person.pk, twin.pk))) in pairs
        candidate = MatchCandidate.objects.get(person_a_id=min(self.person.pk, twin.pk),
                                               person_b_id=max(self.person.pk, twin.pk))
        assert {c["comparison"] for c in candidate.comparisons} == {"name", "birth_date", "birth_place", "sex"}
        assert self.other_person.pk not in {c.person_a_id for c in created} | {c.person_b_id for c in created}
        mark_not_same(actor=self.owner, candidate=candidate)
        assert NotSamePerson.objects.filter(person_a_id=candidate.person_a_id,
                                            person_b_id=candidate.person_b_id).exists()
        candidate.delete()
        again = run_batch(actor=self.owner, organization=self.org)
        assert tuple(sorted((self.person.pk, twin.pk))) not in {(c.person_a_id, c.person_b_id) for c in again}
        assert verify_chain().ok

    def test_outsiders_and_volunteers_cannot_run_or_decide(self):
        twin = self._duplicate()
        for user in (self.outsider, self.volunteer, self.analyst):
            with pytest.raises(Http404):
                run_batch(actor=user, organization=self.org)
        candidate = MatchCandidate.objects.create(organization=self.org, person_a=self.person, person_b=twin,
                                                  match_probability=0.99, match_weight=10, comparisons=[])
        with pytest.raises(Http404):
            mark_not_same(actor=self.outsider, candidate=candidate)
        with pytest.raises(Http404):
            merge_persons(actor=self.outsider, kept=self.person, absorbed=twin)
        assert not MergeRecord.objects.exists()

    def test_merge_keeps_every_value_and_unmerge_restores_exactly(self):
        absorbed = self._duplicate()
        PersonName.objects.create(person=absorbed, family_name="Yi", given_name="Myŏngch'ŏl", source="partner")
        Nationality.objects.create(person=absorbed, country="KP")  # the kept person has KP already
        Nationality.objects.create(person=absorbed, country="CN")
        before_kept = sorted(PersonName.objects.filter(person=self.person).values_list("pk", flat=True))
        before_nat = {n.pk: n.person_id for n in Nationality.objects.filter(person__in=[self.person, absorbed])}
        entries_before = AuditEntry.objects.count()

        merge = merge_persons(actor=self.owner, kept=self.person, absorbed=absorbed)
        names = set(PersonName.objects.filter(person=self.person).values_list("family_name", "given_name"))
        assert {("Lee", "Myung-chul"), ("Yi", "Myŏngch'ŏl")} <= names
        assert set(Nationality.objects.filter(person=self.person).values_list("country", flat=True)) >= {"KP", "CN"}
        assert Nationality.objects.filter(person=absorbed, country="KP").exists()  # left, not lost
        absorbed.refresh_from_db()
        assert (absorbed.family_name, absorbed.given_name) == ("Lee", "Myung-chul")  # source row untouched
        assert AuditEntry.objects.filter(action=Action.MERGE).count() == 1
        assert verify_chain().ok

        unmerge(actor=self.owner, merge=merge)
        assert sorted(PersonName.objects.filter(person=self.person).values_list("pk", flat=True)) == before_kept
        assert {n.pk: n.person_id for n in Nationality.objects.filter(pk__in=before_nat)} == before_nat
        assert PersonName.objects.filter(person=absorbed, family_name="Yi").exists()
        assert AuditEntry.objects.filter(action=Action.UNMERGE).count() == 1
        assert AuditEntry.objects.count() > entries_before
        assert verify_chain().ok
        # A translated ValidationError (shown to the user as it is), no longer a bare ValueError.
        with pytest.raises(ValidationError, match="This merge was already undone."):
            unmerge(actor=self.owner, merge=merge)

    def test_a_removed_vulnerability_follows_the_merge_and_its_undoing(self):
        absorbed = self._duplicate()
        removed = Vulnerability.objects.create(person=absorbed, kind="medical_need", details="kept after removal")
        remove_vulnerability(actor=self.owner, vulnerability=removed)
        merge = merge_persons(actor=self.owner, kept=self.person, absorbed=absorbed)
        assert Vulnerability.all_objects.get(pk=removed.pk).person_id == self.person.pk
        unmerge(actor=self.owner, merge=merge)
        assert Vulnerability.all_objects.get(pk=removed.pk).person_id == absorbed.pk

    def test_merged_person_is_hidden_from_the_next_batch(self):
        absorbed = self._duplicate()
        merge_persons(actor=self.owner, kept=self.person, absorbed=absorbed)
        created = run_batch(actor=self.owner, organization=self.org)
        assert absorbed.pk not in {c.person_a_id for c in created} | {c.person_b_id for c in created}
        assert not Person.objects.filter(pk=absorbed.pk).exists()  # gone from every list as themselves...
        assert Person.all_objects.get(pk=absorbed.pk).merged_into_id == self.person.pk  # ...but kept
        absorbed.refresh_from_db()
        with pytest.raises(ValidationError, match="One of these persons is already merged into another."):
            merge_persons(actor=self.owner, kept=self.child, absorbed=absorbed)
