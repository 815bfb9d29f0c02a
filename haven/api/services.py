"""Audit rows for API reads. Writes are audited by the domain services themselves."""
from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from haven.audit.models import Action, AuditEntry
from haven.audit.services import Event, record_events, record_views


def audit_list(*, actor, model: type[models.Model], objects: Iterable[models.Model], summary: str = "",
               case_id: int | None = None) -> AuditEntry:
    """One LIST row naming every record returned on the page."""
    ids = [obj.pk for obj in objects]
    event = Event(action=Action.LIST, object_type=model._meta.label_lower, case_id=case_id, summary=summary[:300],
                  changes={"ids": ids})
    return record_events(actor=actor, events=[event])[0]


def audit_view(*, actor, obj: models.Model, case_id: int | None) -> AuditEntry:
    return record_views(actor=actor, objects=[(obj, case_id)])[0]

