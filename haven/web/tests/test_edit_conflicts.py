"""Two people edit the same record: the second to save gets a conflict page with both versions and can apply their
changes again on top of the first one's; nobody's change is silently reverted (haven.records.versioning)."""
from __future__ import annotations

from html.parser import HTMLParser

from django.test import Client
from django.urls import reverse

from haven.audit.models import Action, AuditEntry
from haven.cases.models import Note, NoteVersion
from haven.people.models import Household, Person
from haven.testing.personas import PersonaTestCase


class _FormReader(HTMLParser):
    """The values a browser would submit from the last POST form of a page (text, hidden, selects, checkboxes)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.forms.append({})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.forms[-1][a["name"]] = a.get("value", "on")
            elif a.get("type") != "submit":
                self.forms[-1][a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a.get("name")
            self.forms[-1].setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1][self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.forms[-1][self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1][self._textarea] += data.removeprefix("\n") if not self.forms[-1][self._textarea] else data


def form_values(response) -> dict[str, str]:
    reader = _FormReader()
    reader.feed(response.content.decode())
    form = reader.forms[-1]
    form.pop("csrfmiddlewaretoken", None)
    return form


class PersonEditConflictTests(PersonaTestCase):
    def open_as(self, user, url) -> tuple[Client, dict[str, str]]:
        client = Client()
        self.login_as(user, client)
        response = client.get(url)
        self.assertEqual(response.status_code, 200)
        return client, form_values(response)

    def test_the_second_writer_sees_both_versions_and_reapplying_keeps_both_changes(self):
        url = reverse("person_edit", args=[self.person.pk])
        first, first_form = self.open_as(self.owner, url)
        second, second_form = self.open_as(self.colleague, url)
        self.assertEqual((first_form["version"], first_form["initial-given_name"]), ("1", "Myŏng-ch'ŏl"))

        response = first.post(url, {**first_form, "birth_place": "Hyesan"})
        self.assertRedirects(response, reverse("person_detail", args=[self.person.pk]))

        response = second.post(url, {**second_form, "given_name": "Myong-chol"})
        self.assertEqual(response.status_code, 409)
        page = response.content.decode()
        self.assertIn("Someone else changed this record after you opened it", page)
        table = page.split('<table class="conflict">')[1].split("</table>")[0]
        rows = {row.split("</th>")[0].split(">")[-1]: row for row in table.split('<tr><th scope="row">')[1:]}
        self.assertEqual(set(rows), {"Given name", "Place of birth"})
        self.assertIn("<td>Myong-chol <em>(your change)</em></td><td>Myŏng-ch&#x27;ŏl</td>", rows["Given name"])
        self.assertIn("<td>(empty)</td><td>Hyesan</td>", rows["Place of birth"])
        person = Person.objects.get(pk=self.person.pk)
        self.assertEqual((person.given_name, person.birth_place, person.version), ("Myŏng-ch'ŏl", "Hyesan", 2))
        self.assertTrue(AuditEntry.objects.filter(actor=self.colleague, action=Action.VIEW,
                                                  object_type="people.person", object_id=str(person.pk)).exists())

        reapply = form_values(response)
        self.assertEqual((reapply["given_name"], reapply["birth_place"], reapply["version"]),
                         ("Myong-chol", "Hyesan", "2"))
        self.assertEqual(reapply["initial-given_name"], "Myŏng-ch'ŏl")
        response = second.post(url, reapply)
        self.assertRedirects(response, reverse("person_detail", args=[self.person.pk]))
        person.refresh_from_db()
        self.assertEqual((person.given_name, person.birth_place, person.version), ("Myong-chol", "Hyesan", 3))

    def test_a_stale_form_with_no_change_still_saves_nothing(self):
        url = reverse("person_edit", args=[self.person.pk])
        first, first_form = self.open_as(self.owner, url)
        second, second_form = self.open_as(self.colleague, url)
        first.post(url, {**first_form, "birth_place": "Hyesan"})
        response = second.post(url, second_form)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(Person.objects.get(pk=self.person.pk).birth_place, "Hyesan")

    def test_the_conflict_page_is_translated(self):
        url = reverse("person_edit", args=[self.person.pk])
        first, first_form = self.open_as(self.owner, url)
        second, second_form = self.open_as(self.colleague, url)
        first.post(url, {**first_form, "birth_place": "Hyesan"})
        response = second.post(url, {**second_form, "given_name": "Myong-chol"}, HTTP_ACCEPT_LANGUAGE="fr")
        self.assertEqual(response.status_code, 409)
        self.assertIn("Appliquer à nouveau mes modifications", response.content.decode())


class CaseNoteHouseholdConflictTests(PersonEditConflictTests.__base__):
    open_as = PersonEditConflictTests.open_as

    def test_case_edit(self):
        url = reverse("case_edit", args=[self.case.pk])
        first, first_form = self.open_as(self.owner, url)
        second, second_form = self.open_as(self.colleague, url)
        self.assertEqual(first.post(url, {**first_form, "title": "Ri family, sponsorship 2026"}).status_code, 302)
        response = second.post(url, {**second_form, "status": "on_hold"})
        self.assertEqual(response.status_code, 409)
        self.assertIn("<td>On hold <em>(your change)</em></td><td>Open</td>", response.content.decode())
        reapply = form_values(response)
        self.assertEqual(second.post(url, reapply).status_code, 302)
        self.case.refresh_from_db()
        self.assertEqual((self.case.title, self.case.status, self.case.version),
                         ("Ri family, sponsorship 2026", "on_hold", 3))

    def test_note_edit_keeps_the_first_text_and_records_no_version_for_the_refused_one(self):
        url = reverse("note_edit", args=[self.note.pk])
        first, first_form = self.open_as(self.owner, url)
        second, second_form = self.open_as(self.admin, url)
        self.assertEqual(first.post(url, {**first_form, "body": "First rewrite."}).status_code, 302)
        response = second.post(url, {**second_form, "body": "Second rewrite."})
        self.assertEqual(response.status_code, 409)
        note = Note.objects.get(pk=self.note.pk)
        self.assertEqual((note.body, note.version), ("First rewrite.", 2))
        self.assertEqual(list(NoteVersion.objects.filter(note=note).values_list("body", flat=True)),
                         [self.note.body])
        self.assertEqual(form_values(response)["body"], "Second rewrite.")

    def test_household_edit(self):
        url = reverse("household_edit", args=[self.household.pk])
        first, first_form = self.open_as(self.owner, url)
        second, second_form = self.open_as(self.colleague, url)
        self.assertEqual(first.post(url, {**first_form, "name": "Ri household"}).status_code, 302)
        response = second.post(url, {**second_form, "name": "Ri-Kim family"})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(Household.objects.get(pk=self.household.pk).name, "Ri household")
