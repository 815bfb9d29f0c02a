"""A case groups a household's work, belongs to one organization and is the unit of access."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.crypto.fields import EncryptedBinaryField, EncryptedTextField
from haven.records import SoftDeletable, Versioned


class Case(Versioned):
    class Kind(models.TextChoices):
        SPONSORSHIP = "sponsorship", _("Private sponsorship")
        PROTECTION_CLAIM = "protection_claim", _("In-land protection claim")
        SETTLEMENT = "settlement", _("Settlement support")
        LEGAL = "legal", _("Other legal matter")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ON_HOLD = "on_hold", _("On hold")
        CLOSED = "closed", _("Closed")

    # No single-column indexes on organization and sponsor group: the composite indexes below lead with them.
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="cases",
                                     db_index=False)
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=40)
    title = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SPONSORSHIP)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    sponsor_group = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT,
                                      db_index=False, related_name="cases",
                                      limit_choices_to={"kind": "sponsor_group"})
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    search_key = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "reference"], name="case_unique_ref_per_org"),
            models.CheckConstraint(condition=models.Q(closed_on__isnull=True) | models.Q(closed_on__gte=models.F("opened_on")),
                                   name="case_closed_after_opened"),
        ]
        indexes = [
            # The list's orders within an organization (see migration 0004).
            models.Index(fields=["organization", "status", "-opened_on", "-id"], name="case_org_status_opened_id"),
            models.Index(fields=["organization", "-opened_on", "-id"], name="case_org_opened_id"),
            models.Index(fields=["sponsor_group", "-opened_on"], name="case_group_opened"),
            models.Index(fields=["-opened_on", "-id"], name="case_opened_id"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.title or self.household.name}"


class CaseAssignment(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead worker")
        MEMBER = "member", _("Assigned worker")
        COUNSEL = "counsel", _("Counsel")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="assignment_once")]
        indexes = [models.Index(fields=["user", "case"], name="assignment_user_case")]


class Note(SoftDeletable, Versioned):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField()
    confidential = models.BooleanField(
        default=True, help_text=_("Confidential notes are hidden from sponsor-group volunteers."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(SoftDeletable.Meta):
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["case", "-created_at"], name="note_case_time")]


class NoteVersion(models.Model):
    """A note's text as it was before an edit: an edit replaces nothing for good."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="versions")
    body = EncryptedTextField()
    confidential = models.BooleanField()
    written_at = models.DateTimeField(help_text=_("When this text was written (the note's time then)."))
    replaced_at = models.DateTimeField()
    replaced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-replaced_at", "-pk"]


class Attachment(SoftDeletable):
    class Kind(models.TextChoices):
        EVIDENCE = "evidence", _("Evidence")
        FORM = "form", _("Form")
        PHOTO = "photo", _("Photo")
        CORRESPONDENCE = "correspondence", _("Correspondence")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EVIDENCE)
    filename = EncryptedTextField()
    description = EncryptedTextField(blank=True, default="")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    confidential = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(SoftDeletable.Meta):
        ordering = ["-created_at", "-pk"]


class AttachmentContent(models.Model):
    """The encrypted bytes, kept apart so listing attachments never loads them."""

    attachment = models.OneToOneField(Attachment, on_delete=models.CASCADE, primary_key=True, related_name="content")
    data = EncryptedBinaryField()
