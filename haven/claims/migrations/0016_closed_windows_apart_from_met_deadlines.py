"""Steps that only close a deadline's window are no longer counted as meeting it.

The seeded rules listed, among the steps that meet a deadline, later events that end its window: the hearing for
"BOC changes due before the hearing" and for the Minister's notice of intervention, filing the BOC for the last day
to ask for more time to file it, a decision or an abandonment for the BOC deadline, a PRRA decision for the PRRA application. When such an event came after the due date, the
deadline showed "met late" on that day although nothing had been filed late. Those events move to the rule's new
`closed_by` list; a deadline they end is `lapsed` (closed, not met). Rules an administrator changed keep what they
have beyond these event types. Stored deadlines take the new status at the next `haven deadlines recompute`
(docs/operations.md, "Upgrading"). Reversing moves the events back."""
from django.db import migrations, models

ENDED = ["decision_accepted", "decision_rejected", "decision_ncb", "decision_mu", "abandonment", "withdrawal"]
# For each seeded rule, the event types that close its window without meeting it.
CLOSING = {
    "boc_due": ENDED,
    # Filing the BOC ends the time to ask for more time to file it; no step records the request itself.
    "boc_extension_request_due": ["boc_filed", *ENDED],
    "hearing_due": ENDED,
    "boc_amendments_due": ["hearing_held", *ENDED],
    "minister_intervention_due": ["hearing_held", *ENDED],
    "fc_record_due": ["fc_leave_granted", "fc_leave_refused"],
    "prra_application_due": ["prra_accepted", "prra_refused"],
    "prra_submissions_due": ["prra_accepted", "prra_refused"],
}


def split(apps, schema_editor):
    DeadlineRule = apps.get_model("claims", "DeadlineRule")
    for rule in DeadlineRule.objects.filter(key__in=CLOSING):
        closing = [kind for kind in rule.completed_by or [] if kind in CLOSING[rule.key]]
        if closing:
            rule.completed_by = [kind for kind in rule.completed_by if kind not in closing]
            rule.closed_by = [*(rule.closed_by or []), *closing]
            rule.save(update_fields=["completed_by", "closed_by"])


def merge(apps, schema_editor):
    DeadlineRule = apps.get_model("claims", "DeadlineRule")
    for rule in DeadlineRule.objects.all():
        if not rule.closed_by:
            continue
        rule.completed_by = [*(rule.completed_by or []), *rule.closed_by]
        rule.closed_by = []
        rule.save(update_fields=["completed_by", "closed_by"])


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0015_ineligibility_labels_cite_s101_b1_b2'),
    ]

    operations = [
        migrations.AddField(
            model_name='deadline',
            name='lapsed',
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.AddField(
            model_name='deadlinerule',
            name='closed_by',
            field=models.JSONField(blank=True, default=list, help_text="Event types that end the window without meeting the deadline, e.g. the hearing for the Minister's notice of intervention (a JSON list)."),
        ),
        migrations.RunPython(split, merge),
    ]
