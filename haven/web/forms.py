"""Forms of the case and person screens. They validate input and call the
services; rules that need the database (uniqueness, access) stay in the
services and access helpers, and their ValidationErrors come back onto the
form through `add_service_errors`."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import STAFF_ROLES, Organization, Team
from haven.cases import services as case_services
from haven.cases.models import Attachment, Case, CaseAssignment
from haven.people import services as people_services
from haven.forms import DateInput, add_service_errors, country_field, upload_within_limit
from haven.people.codes import language_code
from haven.people.forms import BirthDateField, clean_birth_date, precision_field
from haven.people.models import (
    DatePrecision,
    IdentityDocument,
    Nationality,
    Person,
    PersonLanguage,
    PersonName,
    Relationship,
    Sex,
    Vulnerability,
)
from haven.records.dates import today_for
from haven.records.text import SafeTextForm
from haven.records import is_soft_deletable
from haven.web.conflicts import VersionedForm

DPRK, ROK = "KP", "KR"
# Nationality statuses that make sense per country (see the legal brief: the DPRK treats every
# North Korean as its citizen; whether South Korea does is exactly what a claim must establish).
ALLOWED_STATUSES = {
    DPRK: {Nationality.Status.CITIZEN},
    ROK: {Nationality.Status.HELD, Nationality.Status.ENTITLED, Nationality.Status.MAY_ACQUIRE,
          Nationality.Status.REFUSED, Nationality.Status.UNKNOWN},
}


def nationality_status_error(country: str | None, status: str | None) -> str | None:
    """Why `status` is not allowed for `country` (the two Koreas), or None when it is."""
    allowed = ALLOWED_STATUSES.get(country or "")
    if not (status and allowed) or status in allowed:
        return None
    labels = ", ".join(str(Nationality.Status(value).label) for value in Nationality.Status.values
                       if value in allowed)
    return _("For this country the status must be one of: %(allowed)s.") % {"allowed": labels}


# --- cases -------------------------------------------------------------------------------------------


class CaseForm(SafeTextForm):
    reference = forms.CharField(label=_("Case reference"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Case.Kind.choices)
    sponsor_group = forms.ModelChoiceField(label=_("Sponsor group"), required=False, queryset=Team.objects.none())
    opened_on = forms.DateField(label=_("Opened on"), widget=DateInput())

    def __init__(self, *args, sponsor_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor_group"].queryset = sponsor_groups


class CaseCreateForm(CaseForm):
    """A new case, for an existing household of the organization or a new one entered here."""

    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none(),
                                          empty_label=None)
    household = forms.ModelChoiceField(label=_("Existing household"), required=False, queryset=None,
                                       empty_label=_("— new household (below) —"))
    household_reference = forms.CharField(label=_("New household reference"), max_length=40, required=False,
                                          help_text=_("Leave empty to use the case reference."))
    household_name = forms.CharField(label=_("New household name"), max_length=200, required=False,
                                     help_text=_("How the household is known, e.g. “Ri family”."))
    family_name = forms.CharField(label=_("Principal applicant: family name"), max_length=100, required=False)
    given_name = forms.CharField(label=_("Principal applicant: given name"), max_length=100, required=False)
    family_name_hangul = forms.CharField(label=_("Family name (Hangul)"), max_length=50, required=False)
    given_name_hangul = forms.CharField(label=_("Given name (Hangul)"), max_length=50, required=False)
    birth_date_precision = precision_field(_("Principal applicant: how precise is the date of birth?"))
    birth_date = BirthDateField(label=_("Principal applicant: date of birth"))

    field_order = ["organization", "reference", "title", "kind", "sponsor_group", "opened_on", "household",
                   "household_reference", "household_name", "family_name", "given_name", "family_name_hangul",
                   "given_name_hangul", "birth_date_precision", "birth_date"]

    def __init__(self, *args, organizations, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["household"].queryset = households
        self.fields["opened_on"].initial = timezone.localdate()
        only = list(organizations[:2])
        if len(only) == 1:
            self.fields["organization"].initial = only[0].pk
            self.fields["opened_on"].initial = today_for(only[0])  # not "tomorrow" where the organization is

    def clean(self):
        data = super().clean()
        clean_birth_date(self)
        return data

    def service_arguments(self) -> dict:
        """The cleaned input as cases.services.open_case_with_household takes it (which checks every rule)."""
        data = self.cleaned_data
        return {"organization": data["organization"], "reference": data["reference"], "title": data["title"],
                "kind": data["kind"], "sponsor_group": data.get("sponsor_group"), "opened_on": data["opened_on"],
                "household": data.get("household"), "household_reference": data.get("household_reference", ""),
                "household_name": data.get("household_name", ""),
                "principal": {**{key: data.get(key, "") for key in case_services.PRINCIPAL_NAME_FIELDS},
                              "birth_date": data.get("birth_date"),
                              "birth_date_precision": data.get("birth_date_precision") or DatePrecision.UNKNOWN}}


class CaseEditForm(VersionedForm, CaseForm):
    status = forms.ChoiceField(label=_("Status"), choices=Case.Status.choices)
    closed_on = forms.DateField(label=_("Closed on"), required=False, widget=DateInput())

    field_order = ["reference", "title", "kind", "status", "sponsor_group", "opened_on", "closed_on"]

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case


class AssignmentForm(forms.Form):
    """Assign a worker to a case: a staff member of the case's organization, or a caseworker or legal
    representative of another organization (cross-organization counsel), named by exact username.
    Volunteers and analysts are refused: an assignment gives full access, confidential material included."""

    username = forms.CharField(
        label=_("Username"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "assignable-users"}),
        help_text=_("A caseworker, legal representative or administrator of the case's organization, or a "
                    "caseworker or legal representative of another organization (exact username)."))
    role = forms.ChoiceField(label=_("Role on the case"), choices=CaseAssignment.Role.choices,
                             initial=CaseAssignment.Role.MEMBER)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def suggestions(self) -> list[str]:
        """Usernames of the organization's staff not yet assigned, for the field's datalist."""
        return list(get_user_model().objects.filter(
            is_active=True, memberships__organization_id=self.case.organization_id,
            memberships__role__in=STAFF_ROLES,
        ).exclude(case_assignments__case=self.case).order_by("username").values_list("username", flat=True)[:200])

    def clean_username(self):
        """The user to assign (the cleaned value is the User, not the text)."""
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        case_services.check_assignable(case=self.case, user=user)
        case_services.check_not_assigned(case=self.case, user=user)
        return user

    def save(self, *, actor) -> CaseAssignment:
        return case_services.assign_worker(actor=actor, case=self.case, user=self.cleaned_data["username"],
                                           role=self.cleaned_data["role"])


# --- notes and attachments ----------------------------------------------------------------------------


class NoteForm(SafeTextForm):
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
    confidential = forms.BooleanField(label=_("Confidential (hidden from sponsor-group volunteers)"),
                                      required=False, initial=True)

    def __init__(self, *args, allow_confidential: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_confidential:
            del self.fields["confidential"]

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError(_("A note cannot be empty."))
        return body


class NoteEditForm(VersionedForm, NoteForm):
    """A note's edit form: it carries the version it was opened at (haven.web.conflicts)."""


class AttachmentForm(SafeTextForm):
    file = forms.FileField(label=_("File"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Attachment.Kind.choices)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    confidential = forms.BooleanField(label=_("Confidential (hidden from sponsor-group volunteers)"),
                                      required=False, initial=True)

    def clean_file(self):
        return upload_within_limit(self.cleaned_data["file"])


# --- households and persons ---------------------------------------------------------------------------


class HouseholdForm(VersionedForm, SafeTextForm):
    name = forms.CharField(label=_("Household name"), max_length=200)


class PersonForm(SafeTextForm):
    relationship = forms.ChoiceField(label=_("Relationship to the principal applicant"),
                                     choices=Relationship.choices)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name_hangul = forms.CharField(label=_("Family name (Hangul)"), max_length=50, required=False)
    given_name_hangul = forms.CharField(label=_("Given name (Hangul)"), max_length=50, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_date_precision = precision_field()
    birth_date = BirthDateField(label=_("Date of birth"))
    birth_place = forms.CharField(label=_("Place of birth"), max_length=200, required=False)
    birth_country = country_field(_("Country of birth"))
    residence_country = country_field(_("Current country of residence"))
    phone = forms.CharField(label=_("Phone"), max_length=100, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, relationship_default: str | None = Relationship.PRINCIPAL, **kwargs):
        """`relationship_default`: None once the household has a principal applicant, so that the writer
        chooses (people.selectors.default_relationship)."""
        super().__init__(*args, **kwargs)
        if relationship_default is None:
            self.fields["relationship"].choices = [("", _("— choose —")), *Relationship.choices]
        else:
            self.fields["relationship"].initial = relationship_default

    def clean(self):
        data = super().clean()
        clean_birth_date(self)
        if not any((data.get(key) or "").strip() for key in
                   ("family_name", "given_name", "family_name_hangul", "given_name_hangul")):
            raise ValidationError(_("A person needs at least one name, in Latin letters or Hangul."))
        return data

    @classmethod
    def initial_for(cls, person: Person) -> dict:
        return {name: getattr(person, name) for name in cls.base_fields}


class PersonEditForm(VersionedForm, PersonForm):
    """A person's edit form: it carries the version it was opened at (haven.web.conflicts)."""


class PersonNameForm(SafeTextForm):
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    script = forms.ChoiceField(label=_("Script"), choices=PersonName.Script.choices)
    source = forms.CharField(label=_("Source"), max_length=200, required=False,
                             help_text=_("Document or record the spelling comes from."))

    def clean(self):
        data = super().clean()
        if not (data.get("family_name", "").strip() or data.get("given_name", "").strip()):
            raise ValidationError(_("A name needs a family name or a given name."))
        return data


class NationalityForm(SafeTextForm):
    country = country_field(_("Country"), required=True)
    status = forms.ChoiceField(label=_("Status"), choices=Nationality.Status.choices,
                               help_text=_("North Korea: citizen. South Korea: held, entitled to acquire as of "
                                           "right, may be able to acquire, refused or unknown."))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean(self):
        data = super().clean()
        country, status = data.get("country"), data.get("status")
        error = nationality_status_error(country, status)
        if error:
            self.add_error("status", error)
        if country:
            try:
                people_services.check_new_nationality(person=self.person, country=country)
            except ValidationError as error:
                add_service_errors(self, error)
        return data


class NationalityEditForm(SafeTextForm):
    """Change the status (and note) of a recorded nationality in place; the country stays."""

    status = forms.ChoiceField(label=_("Status"), choices=Nationality.Status.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    # The version the page showed (haven.records.versioning); missing from an old page: saved unchecked.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, item: Nationality, **kwargs):
        kwargs.setdefault("initial", {"status": item.status, "note": item.note, "version": item.version})
        super().__init__(*args, **kwargs)
        self.item = item
        allowed = ALLOWED_STATUSES.get(item.country)
        if allowed:
            # Offer only the statuses that make sense for the country, plus the recorded one so that the
            # select shows what is on file (a status recorded before the rule must be corrected to save).
            self.fields["status"].widget.choices = [
                (value, label) for value, label in Nationality.Status.choices
                if value in allowed or value == item.status]

    def clean_status(self):
        status = self.cleaned_data["status"]
        error = nationality_status_error(self.item.country, status)
        if error:
            raise ValidationError(error)
        return status


class LanguageForm(forms.Form):
    language = forms.CharField(label=_("Language"), max_length=60,
                               help_text=_("ISO 639 code or English name, e.g. “ko”, “kor” or “Korean”."))
    level = forms.ChoiceField(label=_("Level"), choices=PersonLanguage.Level.choices)
    needs_interpreter = forms.BooleanField(label=_("Needs an interpreter"), required=False)

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_language(self):
        code = language_code(self.cleaned_data["language"])
        try:
            people_services.check_new_language(person=self.person, language=code)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return code


class VulnerabilityForm(SafeTextForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Vulnerability.Kind.choices)
    details = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class IdentityDocumentForm(SafeTextForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=IdentityDocument.Kind.choices)
    issuing_country = country_field(_("Issuing country"))
    number = forms.CharField(label=_("Number"), max_length=100, required=False)
    family_name_as_written = forms.CharField(label=_("Family name as written"), max_length=100, required=False)
    given_name_as_written = forms.CharField(label=_("Given name as written"), max_length=100, required=False)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DateInput())
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        issued, expires = data.get("issued_on"), data.get("expires_on")
        if issued and expires and expires < issued:
            self.add_error("expires_on", _("A document cannot expire before it was issued."))
        return data


# --- the sub-lists of the person page -----------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One add/remove list on the person page: its form, the services it calls and who may see it."""

    key: str
    title: str
    related_name: str
    form_class: type[forms.Form]
    add_service: Callable[..., Any]
    remove_service: Callable[..., Any]
    remove_kwarg: str
    url_prefix: str
    item_template: str
    confidential: bool = False
    needs_person: bool = False
    # In-place edit of a recorded item (form built with `item=`), when the section has one.
    edit_form_class: type[forms.Form] | None = None
    edit_service: Callable[..., Any] | None = None

    @property
    def anchor(self) -> str:
        return f"person-{self.key}"

    @property
    def add_url(self) -> str:
        return f"{self.url_prefix}_add"

    @property
    def remove_url(self) -> str:
        return f"{self.url_prefix}_remove"

    @property
    def edit_url(self) -> str:
        return f"{self.url_prefix}_edit"

    @property
    def restore_url(self) -> str:
        return f"{self.url_prefix}_restore"

    @property
    def model(self) -> type:
        return Person._meta.get_field(self.related_name).related_model

    @property
    def keeps_removed(self) -> bool:
        """Removed items wait in the person's deleted items (haven.records) rather than disappear."""
        return is_soft_deletable(self.model)

    def edit_form_for(self, item, data=None) -> forms.Form:
        return self.edit_form_class(data, item=item, auto_id=f"id_{self.key}_{item.pk}_%s")

    def edit(self, *, actor, item, data: dict) -> Any:
        """Save an in-place edit; the form's version goes to the service as `expected_version` (EditConflict)."""
        values = dict(data)
        return self.edit_service(actor=actor, **{self.remove_kwarg: item}, expected_version=values.pop("version", None),
                                 **values)

    def form_for(self, person: Person, data=None) -> forms.Form:
        kwargs = {"person": person} if self.needs_person else {}
        return self.form_class(data, prefix=self.key, **kwargs)

    def add(self, *, actor, person: Person, data: dict) -> Any:
        return self.add_service(actor=actor, person=person, **data)

    def remove(self, *, actor, item) -> None:
        self.remove_service(actor=actor, **{self.remove_kwarg: item})

    def context(self, *, person: Person, perms, items, form, edit: tuple[int, forms.Form] | None = None) -> dict:
        """`edit`: (item pk, bound form) of an in-place edit to show again with its errors."""
        rows = []
        for item in items:
            edit_form = None
            if perms.can_write and self.edit_form_class is not None:
                edit_form = edit[1] if edit and edit[0] == item.pk else self.edit_form_for(item)
            rows.append((item, edit_form))
        return {"spec": self, "items": items, "rows": rows, "form": form, "can_write": perms.can_write}


SECTIONS: dict[str, Section] = {section.key: section for section in (
    Section("names", _("Other spellings of the name"), "names", PersonNameForm, people_services.add_person_name,
            people_services.remove_person_name, "name", "person_name", "web/people/items/name.html"),
    Section("nationalities", _("Nationalities"), "nationalities", NationalityForm, people_services.add_nationality,
            people_services.remove_nationality, "nationality", "nationality", "web/people/items/nationality.html",
            needs_person=True, edit_form_class=NationalityEditForm, edit_service=people_services.update_nationality),
    Section("languages", _("Languages"), "languages", LanguageForm, people_services.add_language,
            people_services.remove_language, "language", "language", "web/people/items/language.html",
            needs_person=True),
    Section("vulnerabilities", _("Vulnerabilities"), "vulnerabilities", VulnerabilityForm,
            people_services.add_vulnerability, people_services.remove_vulnerability, "vulnerability",
            "vulnerability", "web/people/items/vulnerability.html", confidential=True),
    Section("documents", _("Identity documents"), "documents", IdentityDocumentForm,
            people_services.add_identity_document, people_services.remove_identity_document, "document",
            "document", "web/people/items/document.html", confidential=True),
)}
