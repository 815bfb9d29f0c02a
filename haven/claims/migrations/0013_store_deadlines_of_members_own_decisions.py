"""The deadlines of joined members who have a decision of their own become stored Deadline rows, as later ones are
(haven.claims.recompute.recompute_member_deadlines): until now they were only computed on the claim's page.

Counted here with the deadline engine itself (haven.claims.members.member_deadlines, pure computation) over the
historical rows, so each member gets the rows a recompute would give them. Reversing deletes the members' rows
only; the claims' own rows are untouched either way."""

from django.db import migrations

from haven.claims.deadlines import Rule, RuleSet
from haven.claims.events import claim_facts
from haven.claims.members import member_deadlines
from haven.claims.recompute import latest_today

FIELDS = ("rule_id", "trigger", "trigger_on", "due_on", "completed_on", "event_id")


def store_member_deadlines(apps, schema_editor):
    JoinedClaimant = apps.get_model("claims", "JoinedClaimant")
    ClaimEvent = apps.get_model("claims", "ClaimEvent")
    Deadline = apps.get_model("claims", "Deadline")
    DeadlineRule = apps.get_model("claims", "DeadlineRule")
    members = list(JoinedClaimant.objects.filter(is_principal=False, own_decision=True).exclude(outcome="")
                   .select_related("claim").order_by("claim_id", "pk"))
    if not members:
        return
    rules = RuleSet([Rule.from_model(row) for row in DeadlineRule.objects.filter(active=True)])
    events: dict[int, list] = {}
    for event in ClaimEvent.objects.filter(claim_id__in={m.claim_id for m in members}).order_by("pk"):
        events.setdefault(event.claim_id, []).append(event)
    today, rows = latest_today(), []
    for member in members:
        claim = member.claim
        planned = member_deadlines(member, events.get(claim.pk, []), rules=rules, province=claim.province or None,
                                   route=claim.intake_route, today=today, facts=claim_facts(claim))
        rows.extend(Deadline(claim_id=claim.pk, case_id=claim.case_id, claimant_id=member.pk, key=key,
                             **dict(zip(FIELDS, values))) for key, values in planned.items())
    Deadline.objects.bulk_create(rows, batch_size=2000)


def delete_member_deadlines(apps, schema_editor):
    apps.get_model("claims", "Deadline").objects.filter(claimant__isnull=False).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("claims", "0012_claim_steps_and_deadlines_of_joined_members"),
    ]

    operations = [
        migrations.RunPython(store_member_deadlines, delete_member_deadlines),
    ]
