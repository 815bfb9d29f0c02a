"""Seed the deadline rules with their citations (see docs/deadline-rules.md).

Administrators may change them afterwards in the Django admin; this migration
only inserts rules whose (key, effective_from) is not present yet.
"""
import datetime as dt

from django.db import migrations

LAWS = "https://laws-lois.justice.gc.ca/eng/"
DECISIONS = ["decision_accepted", "decision_rejected", "decision_ncb", "decision_mu"]

RULES = [
    dict(key="boc_due", label="Basis of Claim form due (port-of-entry claim)", trigger="referral_to_rpd",
         period=15, citation="IRPR s.159.8(2)", source_url=LAWS + "regulations/SOR-2002-227/section-159.8.html",
         note="Port-of-entry claimants file the BOC with the RPD within 15 days of referral. Inland claimants give "
              "it to the officer by the eligibility decision (IRPR 159.8(1)). The RPD may extend for fairness "
              "(IRPR 159.8(3)).",
         completed_by=["boc_filed", *DECISIONS, "abandonment", "withdrawal"]),
    dict(key="boc_extension_request_due", label="Last day to ask the RPD to extend the BOC deadline",
         trigger="boc_due", period=3, unit="working_days", direction="before", rollover="backward",
         citation="RPD Rules (SOR/2012-256) r.8 (CLEO summary)",
         note="At least three working days before the BOC is due. Working days exclude Saturdays, Sundays and "
              "holidays (RPD Rules r.1). Unverified against the current Rules.",
         completed_by=["boc_filed", *DECISIONS, "abandonment", "withdrawal"]),
    dict(key="hearing_due", label="RPD hearing to be held by", trigger="referral_to_rpd", period=60,
         citation="IRPR s.159.9(1)(b)", source_url=LAWS + "regulations/SOR-2002-227/section-159.9.html",
         responsible="board",
         note="The Board's time limit, not the claimant's. It yields to fairness, security inquiries and RPD "
              "capacity (IRPR 159.9(3)). A Saturday end moves to the next working day.",
         completed_by=["hearing_held", *DECISIONS, "abandonment", "withdrawal"]),
    dict(key="boc_amendments_due", label="BOC changes and documents due before the hearing",
         trigger="hearing_scheduled", period=10, direction="before", rollover="backward",
         citation="RPD Rules (SOR/2012-256) r.9 (CLEO summary)",
         note="10 days before the hearing date. A day that is a holiday moves the deadline earlier (a choice "
              "that never makes the computed day later than the law's).",
         completed_by=["hearing_held", *DECISIONS, "abandonment", "withdrawal"]),
    dict(key="minister_intervention_due", label="Minister's notice of intervention due",
         trigger="hearing_scheduled", period=10, direction="before", rollover="backward",
         citation="RPD Rules (SOR/2012-256) r.29(4)", responsible="minister",
         note="If the Minister raises Article 1E or 1F, the notice must state the facts and law relied on "
              "(RPD r.29(2)).",
         completed_by=["minister_intervention", "hearing_held", *DECISIONS, "abandonment", "withdrawal"]),
    dict(key="rad_notice_due", label="RAD notice of appeal due", trigger="rpd_reasons_received", period=15,
         citation="IRPR s.159.91(1)(a)", source_url=LAWS + "regulations/SOR-2002-227/section-159.91.html",
         note="15 days after the day the appellant receives the RPD's written reasons. The Minister has the same "
              "period to appeal a positive decision.",
         completed_by=["rad_appeal_filed"]),
    dict(key="rad_record_due", label="RAD appellant's record due (perfect the appeal)",
         trigger="rpd_reasons_received", period=30, effective_to=dt.date(2020, 9, 27),
         citation="IRPR s.159.91(1)(b)", source_url=LAWS + "regulations/SOR-2002-227/section-159.91.html",
         note="30 days after receipt of the written reasons, for reasons received before 28 September 2020.",
         completed_by=["rad_record_filed", "rad_perfected"]),
    dict(key="rad_record_due", label="RAD appellant's record due (perfect the appeal)",
         trigger="rpd_reasons_received", period=45, effective_from=dt.date(2020, 9, 28),
         citation="IRPR s.159.91(1)(b); IRB RAD practice notice of 28 September 2020 (45 days)",
         source_url="https://irb.gc.ca/en/legal-policy/procedures/Pages/index.aspx",
         note="The regulation says 30 days; the RAD's practice since 28 September 2020 accepts records within 45 "
              "days. Keep an eye on the practice notice: if it is withdrawn, end this version and add a 30-day one.",
         completed_by=["rad_record_filed", "rad_perfected"]),
    dict(key="rad_decision_due", label="RAD decision due (appeal without a hearing)",
         trigger="rad_record_perfected", period=90, citation="IRPR s.159.92(1)",
         source_url=LAWS + "regulations/SOR-2002-227/section-159.92.html", responsible="board",
         note="The Board's time limit; it may be exceeded for reasons of fairness (IRPR 159.92(2)).",
         completed_by=["rad_confirmed", "rad_set_aside", "rad_referred_back"]),
    dict(key="fc_leave_due", label="Federal Court application for leave due (in Canada)",
         trigger="decision_notice_received", period=15, citation="IRPA s.72(2)(b)",
         source_url=LAWS + "acts/I-2.5/section-72.html",
         note="15 days after the applicant is notified of, or otherwise becomes aware of, the matter (60 days for "
              "a matter arising outside Canada). The Federal Court's 21 December to 7 January recess (Federal "
              "Courts Rules r.6(3)) is NOT skipped: whether it pauses this statutory period is unverified. Tick "
              "'skip FC recess' to change that. A judge may extend time for special reasons (s.72(2)(c)).",
         completed_by=["fc_leave_filed"]),
    dict(key="fc_record_due", label="Federal Court applicant's record due", trigger="fc_leave_filed", period=30,
         citation="Federal Courts Citizenship, Immigration and Refugee Protection Rules (SOR/93-22) r.10(1)",
         source_url=LAWS + "regulations/SOR-93-22/section-10.html",
         note="30 days after filing the application for leave; if written reasons arrive later, the period runs "
              "from their receipt (not modelled: record the later date as the trigger). The Christmas recess is "
              "not skipped by default (earliest plausible date).",
         completed_by=["fc_record_filed", "fc_leave_granted", "fc_leave_refused"]),
    dict(key="prra_application_due", label="PRRA application due", trigger="prra_notification", period=15,
         citation="IRPR s.162", source_url=LAWS + "regulations/SOR-2002-227/section-162.html",
         note="15 days after notification. The brief's sources add 7 days when notified by mail (unverified); "
              "not added, since adding it could only make the computed day later.",
         completed_by=["prra_applied", "prra_accepted", "prra_refused"]),
    dict(key="prra_submissions_due", label="PRRA written submissions due", trigger="prra_notification",
         period=30, citation="IRPR s.162 (15 days to apply, then 15 more for submissions)",
         note="Counted as 30 days from the notification (15 + 15), per immconsultant.net and "
              "bellissimolawgroup.com; unverified against the Regulations.",
         completed_by=["prra_submissions_filed", "prra_accepted", "prra_refused"]),
    dict(key="departure_due", label="Leave Canada and confirm departure (departure order)",
         trigger="departure_order_in_force", period=30, citation="IRPR s.224(2)",
         source_url=LAWS + "regulations/SOR-2002-227/section-224.html",
         note="A departure order not complied with within 30 days of taking effect becomes a deportation order.",
         completed_by=["removal"]),
    dict(key="prra_bar_ends", label="12-month PRRA bar ends", trigger="last_negative_decision", period=12,
         unit="months", citation="IRPA s.112(2)(b.1)", source_url=LAWS + "acts/I-2.5/section-112.html",
         responsible="information",
         note="Counted from the last rejection, abandonment or withdrawal at the RPD or RAD, or the last PRRA "
              "refusal. Not started by rejections on Article 1E or 1F grounds, nor by vacation or cessation.",
         completed_by=[]),
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("claims", "DeadlineRule")
    for data in RULES:
        if not DeadlineRule.objects.filter(key=data["key"], effective_from=data.get("effective_from")).exists():
            DeadlineRule.objects.create(**data)


def unseed(apps, schema_editor):
    DeadlineRule = apps.get_model("claims", "DeadlineRule")
    DeadlineRule.objects.filter(key__in={rule["key"] for rule in RULES}, deadlines__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_claims_events_deadlines")]
    operations = [migrations.RunPython(seed, unseed)]
