"""Review queue and merges. People belong to haven.people; this app only points at them."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class MatchCandidate(models.Model):
    """Two persons of one organization that the batch model scored as likely the same person."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        MERGED = "merged", _("Merged")
        NOT_SAME = "not_same", _("Not the same person")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    person_a = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    comparisons = models.JSONField(default=list, help_text=_("Match weight and level per comparison."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-match_probability", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="match_candidate_once_per_pair"),
            models.CheckConstraint(condition=Q(person_a__lt=F("person_b")), name="match_candidate_ordered_pair"),
        ]
        indexes = [models.Index(fields=["organization", "status"], name="match_candidate_queue")]


class NotSamePerson(models.Model):
    """A remembered decision: these two persons are different people; later runs never suggest them again."""

    person_a = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="not_same_once_per_pair"),
            models.CheckConstraint(condition=Q(person_a__lt=F("person_b")), name="not_same_ordered_pair"),
        ]


class MergeRecord(models.Model):
    """One merge of `absorbed` into `kept`, with the snapshot that lets un-merge restore it exactly.

    The absorbed person row is never deleted: while the merge is active it is hidden from the review queue
    and the intake check, and its sub-records (names, nationalities, languages, vulnerabilities, documents)
    are moved to the kept person; its own names become PersonName rows of the kept person."""

    kept = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    absorbed = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField()
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        ordering = ["-merged_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["absorbed"], condition=Q(undone_at__isnull=True),
                                    name="merge_absorbed_once_while_active"),
        ]
