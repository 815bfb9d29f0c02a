"""One record per person of a claim file (RPD Rules r.55: joined claims are decided person by person).

Every existing claim gets its principal claimant's row (the claim's outcome, its date, and the reasons date of the
claim's last RPD decision) and one row per joined member, following the claim's decision as before: nothing
changes in what the claim says, and the claimant and members fields are kept. Reversing deletes the rows only."""

import django.db.models.deletion
from django.db import migrations, models


RPD_DECISION_TYPES = ("decision_accepted", "decision_rejected", "decision_ncb", "decision_mu")
BATCH = 2000


def _reasons_dates(ClaimEvent) -> dict[int, object]:
    """{claim id: received_on of its last RPD decision}, for claims whose last RPD decision has a reasons date."""
    last = {}
    for claim_id, received in (ClaimEvent.objects.filter(type__in=RPD_DECISION_TYPES)
                               .order_by("claim_id", "occurred_on", "pk").values_list("claim_id", "received_on")):
        last[claim_id] = received
    return {claim_id: received for claim_id, received in last.items() if received is not None}


def create_claimant_rows(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    ClaimEvent = apps.get_model("claims", "ClaimEvent")
    JoinedClaimant = apps.get_model("claims", "JoinedClaimant")
    reasons = _reasons_dates(ClaimEvent)
    members: dict[int, list[int]] = {}
    for claim_id, person_id in Claim.members.through.objects.order_by("pk").values_list("claim_id", "person_id"):
        members.setdefault(claim_id, []).append(person_id)
    rows = []
    for claim_id, claimant_id, outcome, outcome_on in (Claim.objects.order_by("pk").values_list(
            "pk", "claimant_id", "outcome", "outcome_on").iterator(chunk_size=BATCH)):
        decision = {"outcome": outcome, "outcome_on": outcome_on,
                    "reasons_received_on": reasons.get(claim_id) if outcome else None}
        rows.append(JoinedClaimant(claim_id=claim_id, person_id=claimant_id, is_principal=True, **decision))
        rows.extend(JoinedClaimant(claim_id=claim_id, person_id=person_id, **decision)
                    for person_id in members.get(claim_id, ()) if person_id != claimant_id)
        if len(rows) >= BATCH:
            JoinedClaimant.objects.bulk_create(rows)
            rows = []
    JoinedClaimant.objects.bulk_create(rows)


def delete_claimant_rows(apps, schema_editor):
    apps.get_model("claims", "JoinedClaimant").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0007_claim_evidence_and_rule_edit_versions'),
        ('people', '0004_nationality_edit_version'),
    ]

    operations = [
        migrations.CreateModel(
            name='JoinedClaimant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False)),
                ('is_principal', models.BooleanField(default=False)),
                ('own_decision', models.BooleanField(default=False, help_text="Set when this person's own decision was recorded; otherwise the outcome follows the claim's decision.")),
                ('outcome', models.CharField(blank=True, choices=[('accepted', 'Accepted'), ('rejected', 'Rejected'), ('no_credible_basis', 'Rejected: no credible basis'), ('manifestly_unfounded', 'Rejected: manifestly unfounded'), ('abandoned', 'Abandoned'), ('withdrawn', 'Withdrawn'), ('other', 'Other')], default='', max_length=24)),
                ('outcome_on', models.DateField(blank=True, null=True)),
                ('reasons_received_on', models.DateField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('claim', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='claimants', to='claims.claim')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='claimant_records', to='people.person')),
            ],
            options={
                'ordering': ['-is_principal', 'pk'],
                'indexes': [models.Index(condition=models.Q(('is_principal', False)), fields=['claim'], name='joined_claimant_members')],
                'constraints': [models.UniqueConstraint(fields=('claim', 'person'), name='joined_claimant_once_per_claim'), models.UniqueConstraint(condition=models.Q(('is_principal', True)), fields=('claim',), name='joined_claimant_one_principal'), models.CheckConstraint(condition=models.Q(('outcome', ''), ('outcome_on__isnull', False), _connector='OR'), name='joined_claimant_outcome_has_date'), models.CheckConstraint(condition=models.Q(('is_principal', False), ('own_decision', False), _connector='OR'), name='joined_claimant_principal_follows_claim')],
            },
        ),
        migrations.RunPython(create_claimant_rows, delete_claimant_rows),
    ]
