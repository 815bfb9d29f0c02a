"""A positive RPD decision can be appealed to the RAD by the Minister only (IRPA s.110(1); IRPR s.159.91(1)(a)
gives "the person or the Minister" 15 days from receiving the written reasons). Until now an accepted claim got
the claimant's "RAD notice of appeal due" and "RAD appellant's record due", which turned red as overdue on the
lawyer's pages for an appeal the claimant could never bring.

This adds the Minister's period as its own rule (responsible: the Minister) and moves the stored rows of accepted
decisions to it: each "RAD notice of appeal due" row started by a decision to accept (the claim's own, or a joined
member's own accepted decision) becomes the Minister's, same dates; their "RAD appellant's record due" rows are
deleted (the Minister perfects an appeal under the RAD Rules, which Haven does not track). Nothing else changes:
`haven deadlines recompute` gives the same rows. Reversing moves the rows back; the deleted record rows come back
with `haven deadlines recompute`."""
from django.db import migrations

RULE = dict(
    key="rad_minister_notice_due", label="Minister's RAD notice of appeal due (positive decision)",
    trigger="rpd_acceptance_reasons_received", period=15, responsible="minister",
    citation="IRPR s.159.91(1)(a); IRPA s.110(1)",
    source_url="https://laws-lois.justice.gc.ca/eng/regulations/SOR-2002-227/section-159.91.html",
    note="Only the Minister may appeal a decision allowing a claim. The period runs 15 days from the day the "
         "Minister receives the written reasons; Haven counts from the day the claimant received them (the Board "
         "sends both together). After it, without an appeal, the decision stands.",
    completed_by=["rad_appeal_filed"])
OLD_NOTE_END = " The Minister has the same period to appeal a positive decision."


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("claims", "DeadlineRule")
    if not DeadlineRule.objects.filter(key=RULE["key"]).exists():
        DeadlineRule.objects.create(**RULE)
    for rule in DeadlineRule.objects.filter(key="rad_notice_due", note__endswith=OLD_NOTE_END):
        rule.note = rule.note[:-len(OLD_NOTE_END)] + " A positive decision: see the Minister's period."
        rule.save(update_fields=["note"])


def _accepted_rows(apps, key: str):
    """The claim's rows started by its decision to accept, and joined members' rows under an accepted decision
    of their own (their rows carry no event: the decision is on the member's record)."""
    Deadline = apps.get_model("claims", "Deadline")
    rows = Deadline.objects.filter(key=key)
    return (rows.filter(claimant__isnull=True, event__type="decision_accepted")
            | rows.filter(claimant__isnull=False, claimant__own_decision=True, claimant__outcome="accepted"))


def forward(apps, schema_editor):
    seed(apps, schema_editor)
    DeadlineRule = apps.get_model("claims", "DeadlineRule")
    minister = DeadlineRule.objects.get(key=RULE["key"])
    _accepted_rows(apps, "rad_record_due").delete()
    _accepted_rows(apps, "rad_notice_due").update(key=RULE["key"], rule=minister, trigger=RULE["trigger"])


def backward(apps, schema_editor):
    DeadlineRule = apps.get_model("claims", "DeadlineRule")
    Deadline = apps.get_model("claims", "Deadline")
    notice = DeadlineRule.objects.filter(key="rad_notice_due").order_by("pk").first()
    Deadline.objects.filter(key=RULE["key"]).update(key="rad_notice_due", rule=notice, trigger="rpd_reasons_received")
    DeadlineRule.objects.filter(key=RULE["key"], deadlines__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("claims", "0013_store_deadlines_of_members_own_decisions"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
