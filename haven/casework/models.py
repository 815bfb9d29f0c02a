"""Tasks and appointments: the everyday work of every kind of case (sponsorship, settlement, protection claim).

Both hang off a case, the unit of access (haven.cases.access). Neither is ever deleted from the database: a
deletion moves the row to the deleted items (haven.records.softdelete), and every edit states the version it was
based on, so two people editing the same task cannot silently undo each other (haven.records.EditConflict)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.people.codes import validate_language
from haven.records.softdelete import SoftDeletable
from haven.records.versioning import Versioned


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Task(SoftDeletable, Versioned):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("title"), max_length=200)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="casework_tasks",
                                 verbose_name=_("assigned to"), db_index=False)
    due_on = models.DateField(_("due date"))
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(_("outcome"), blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    class Meta(SoftDeletable.Meta):
        ordering = ["due_on", "pk"]
        indexes = [
            # "My work" and the digest: a user's open tasks by due date.
            models.Index(fields=["assignee", "due_on"], condition=models.Q(status__in=["open", "in_progress"]),
                         name="task_open_assignee_due"),
            models.Index(fields=["case", "due_on"], name="task_case_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)


class Appointment(SoftDeletable, Versioned):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="appointments")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=300, blank=True, default="")
    link = models.URLField(_("link"), max_length=500, blank=True, default="")
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="casework_appointments",
                                       verbose_name=_("people attending"), blank=True)
    household_members = models.ManyToManyField("people.Person", related_name="+", blank=True,
                                               verbose_name=_("household members attending"))
    interpreter_language = models.CharField(_("interpreter needed for"), max_length=3, blank=True, default="",
                                            validators=[validate_language],
                                            help_text=_("Leave empty when no interpreter is needed."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(SoftDeletable.Meta):
        ordering = ["starts_at", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="appointment_ends_after_start")]
        indexes = [models.Index(fields=["case", "starts_at"], name="appointment_case_start"),
                   models.Index(fields=["starts_at"], name="appointment_start")]

    def __str__(self) -> str:
        return self.title


class DigestSent(models.Model):
    """One daily digest per user and day, so `haven casework digest` can run as often as cron likes."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "sent_on"], name="digest_once_per_user_day")]
