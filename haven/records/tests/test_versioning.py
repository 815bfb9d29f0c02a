"""Edit versions (haven.records.versioning): a write based on a version someone else has replaced is refused, on
one connection and with real concurrent writers on PostgreSQL; nothing the first writer saved is lost."""
from __future__ import annotations

import threading

import pytest
from django.apps import apps
from django.db import connections

from haven.accounts.models import Membership
from haven.audit.models import Action, AuditEntry
from haven.cases import services as case_services
from haven.cases.models import Case, Note, NoteVersion
from haven.claims.models import Claim, DeadlineRule, EvidenceItem
from haven.people import services as people_services
from haven.people.models import Household, Nationality, Person
from haven.records import EditConflict, Versioned, save_versioned
from haven.testing.databases import postgresql_only
from haven.testing.factories import CaseFactory, NoteFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_edited_records_carry_a_version():
    versioned = {model for model in apps.get_models() if issubclass(model, Versioned)}
    assert {Person, Household, Case, Note, Membership} <= versioned
    assert {Nationality, Claim, EvidenceItem, DeadlineRule} <= versioned


def test_a_new_record_starts_at_version_one_and_each_saved_edit_counts():
    actor = UserFactory()
    person = PersonFactory(given_name="Su-a")
    assert person.version == 1
    people_services.update_person(actor=actor, person=person, data={"birth_place": "Hyesan"}, expected_version=1)
    assert (person.version, Person.objects.get(pk=person.pk).version) == (2, 2)
    # Nothing changed: nothing saved, nothing counted.
    people_services.update_person(actor=actor, person=person, data={"birth_place": "Hyesan"}, expected_version=2)
    assert Person.objects.get(pk=person.pk).version == 2
    # No version known (an internal job): saved and counted, unchecked.
    people_services.update_person(actor=actor, person=person, data={"birth_place": "Kimchaek"}, expected_version=None)
    assert Person.objects.get(pk=person.pk).version == 3


def test_a_stale_version_is_refused_with_the_stored_record_and_changes_nothing():
    actor = UserFactory()
    person = PersonFactory(given_name="Su-a")
    first, second = Person.objects.get(pk=person.pk), Person.objects.get(pk=person.pk)
    people_services.update_person(actor=actor, person=first, data={"birth_place": "Hyesan"}, expected_version=1)
    audited = AuditEntry.objects.filter(action=Action.UPDATE, object_id=str(person.pk)).count()
    # The second writer's object was read before the first save: its own version still says 1.
    with pytest.raises(EditConflict) as raised:
        people_services.update_person(actor=actor, person=second, data={"given_name": "Myong"}, expected_version=1)
    assert (raised.value.current.version, raised.value.current.birth_place) == (2, "Hyesan")
    stored = Person.objects.get(pk=person.pk)
    assert (stored.given_name, stored.birth_place, stored.version) == ("Su-a", "Hyesan", 2)
    assert AuditEntry.objects.filter(action=Action.UPDATE, object_id=str(person.pk)).count() == audited


def test_a_version_that_does_not_match_the_object_read_is_refused_before_validation():
    person = PersonFactory(given_name="Su-a")
    with pytest.raises(EditConflict):
        people_services.update_person(actor=UserFactory(), person=person, data={"birth_country": "??"},
                                      expected_version=7)


def test_case_household_and_note_updates_check_the_version():
    actor = UserFactory()
    case = CaseFactory()
    note = NoteFactory(case=case, author=actor)
    calls = [
        (lambda v: case_services.update_case(actor=actor, case=Case.objects.get(pk=case.pk), title="T",
                                             expected_version=v)),
        (lambda v: people_services.update_household(actor=actor, household=Household.objects.get(pk=case.household_id),
                                                    name="Renamed", expected_version=v)),
        (lambda v: case_services.update_note(actor=actor, note=Note.objects.get(pk=note.pk), body="Rewritten.",
                                             confidential=True, expected_version=v)),
    ]
    for call in calls:
        call(1)
        with pytest.raises(EditConflict):
            call(1)
    assert [Case.objects.get(pk=case.pk).version, Household.objects.get(pk=case.household_id).version,
            Note.objects.get(pk=note.pk).version] == [2, 2, 2]
    assert NoteVersion.objects.filter(note=note).count() == 1


def test_save_versioned_refuses_a_row_whose_version_moved_on_under_an_object_read_earlier():
    person = PersonFactory(given_name="Su-a")
    Person.objects.filter(pk=person.pk).update(version=5)
    person.birth_place = "Hyesan"
    with pytest.raises(EditConflict) as raised:
        save_versioned(person, expected_version=1, update_fields=["birth_place"])
    assert raised.value.current.version == 5
    assert Person.objects.get(pk=person.pk).birth_place == ""


def _race(writers) -> tuple[list, list[Exception]]:
    """Run each writer on its own thread and connection; each reads its copy, waits until all have read, then saves.
    Their results and their exceptions."""
    results, errors = [], []
    have_read = threading.Barrier(len(writers))

    def run(writer):
        try:
            results.append(writer(lambda: have_read.wait(30)))
        except Exception as error:  # collected for the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(writer,)) for writer in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_person_writers_one_wins_the_other_gets_the_conflict():
    actor = UserFactory()
    person = PersonFactory(given_name="Su-a")

    def writer(data):
        def write(all_have_read):
            mine = Person.objects.get(pk=person.pk)  # each reads, then saves on its own connection
            all_have_read()
            return people_services.update_person(actor=actor, person=mine, data=data,
                                                 expected_version=mine.version)
        return write

    results, errors = _race([writer({"birth_place": "Hyesan"}), writer({"given_name": "Myong"})])
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], EditConflict), errors
    stored = Person.objects.get(pk=person.pk)
    assert stored.version == 2
    winner = {"birth_place": "Hyesan"} if stored.birth_place == "Hyesan" else {"given_name": "Myong"}
    assert all(getattr(stored, key) == value for key, value in winner.items())
    assert (stored.birth_place, stored.given_name) in {("Hyesan", "Su-a"), ("", "Myong")}
    assert errors[0].current.version == 2
    assert AuditEntry.objects.filter(action=Action.UPDATE, object_type="people.person",
                                     object_id=str(person.pk)).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_many_concurrent_note_writers_lose_nothing():
    author = UserFactory()
    note = NoteFactory(author=author, body="Original.")

    def writer(n):
        def write(all_have_read):
            mine = Note.objects.get(pk=note.pk)
            all_have_read()
            return case_services.update_note(actor=author, note=mine, body=f"Rewrite {n}.", confidential=True,
                                             expected_version=mine.version)
        return write

    results, errors = _race([writer(n) for n in range(4)])
    assert len(results) == 1 and len(errors) == 3, errors
    assert all(isinstance(error, EditConflict) for error in errors), errors
    stored = Note.objects.get(pk=note.pk)
    # The one saved edit counted once and kept the text it replaced; the refused ones left nothing behind.
    assert (stored.version, stored.body) == (2, results[0].body)
    assert list(NoteVersion.objects.filter(note=note).values_list("body", flat=True)) == ["Original."]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_nationality_writers_one_wins_the_other_gets_the_conflict():
    actor = UserFactory()
    nationality = Nationality.objects.create(person=PersonFactory(), country="KR", status=Nationality.Status.UNKNOWN)

    def writer(status):
        def write(all_have_read):
            mine = Nationality.objects.get(pk=nationality.pk)
            all_have_read()
            return people_services.update_nationality(actor=actor, nationality=mine, status=status,
                                                      note=f"Set to {status}", expected_version=mine.version)
        return write

    results, errors = _race([writer("may_acquire"), writer("refused")])
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], EditConflict), errors
    stored = Nationality.objects.get(pk=nationality.pk)
    assert (stored.version, stored.status, stored.note) == (2, results[0].status, f"Set to {results[0].status}")
    assert AuditEntry.objects.filter(action=Action.UPDATE, object_type="people.nationality",
                                     object_id=str(nationality.pk)).count() == 1
