"""Funds bench: ledger balances and campaign totals over 100,000 donations (target < 200 ms), and 1,000 official
receipts rendered to PDF (target < 60 s).

Seeds its own organization ("Funds Bench Society") with bulk_create in the database DATABASE_URL names (migrated),
then times, best of 5 after a warm-up: the campaign's total and raised-over-time series (haven.funds.reports), the
trust's balances recomputed from the entries (haven.funds.ledger.recomputed) and the organization's totals; then
1,000 receipts in one WeasyPrint document (haven.funds.pdf.render_receipts) and, for comparison, 20 rendered one
by one.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haven_bench .venv/bin/python bench/funds_bench.py

`make bench` calls run_bench() through bench/run.py.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")

RESULTS = ROOT / "bench" / "results"
TARGET_MS = 200.0
TARGET_PDF_S = 60.0
SLUG = "funds-bench"


def log(message: str) -> None:
    print(f"[funds bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def seed(donations: int, receipts: int):
    """The bench organization with `donations` gifts to one campaign held in one group's trust, and `receipts`
    receipts. Reuses an earlier seeding of the same size."""
    from django.db.models import Sum

    from haven.accounts.models import Organization, Team, User
    from haven.funds.models import Campaign, CharityProfile, Donation, Donor, Receipt, TrustAccount

    org, _ = Organization.objects.get_or_create(slug=SLUG, defaults={"name": "Funds Bench Society",
                                                                      "kind": "sponsorship"})
    group, _ = Team.objects.get_or_create(organization=org, name="Bench group", kind=Team.Kind.SPONSOR_GROUP)
    user, _ = User.objects.get_or_create(username="funds-bench@bench.test")
    CharityProfile.objects.get_or_create(organization=org, defaults={
        "legal_name": "Funds Bench Society", "address": "1 Bench Street, Ottawa ON", "place_of_issue": "Ottawa",
        "registration_number": "123456789RR0001", "signatory_name": "Bench Treasurer"})
    trust, _ = TrustAccount.objects.get_or_create(sponsor_group=group, defaults={"organization": org})
    campaign, _ = Campaign.objects.get_or_create(organization=org, name="Bench campaign", defaults={
        "goal": Decimal("25000000.00"), "starts_on": dt.date(2022, 1, 1), "sponsor_group": group, "created_by": user})
    have = Donation.objects.filter(campaign=campaign).count()
    if have < donations:
        rng = random.Random(2026)
        donors = Donor.objects.bulk_create([Donor(organization=org, name=f"Donor {n} 김민준", address=f"{n} Main St")
                                            for n in range(1000)])
        start = dt.date(2022, 1, 1)
        rows = [Donation(organization=org, donor=donors[n % len(donors)], campaign=campaign, trust=trust,
                         amount=Decimal(rng.randrange(500, 50000)) / 100, created_by=user,
                         received_on=start + dt.timedelta(days=rng.randrange(0, 1400)))
                for n in range(donations - have)]
        Donation.objects.bulk_create(rows, batch_size=5000)
        trust.received = Donation.objects.filter(trust=trust).aggregate(total=Sum("amount"))["total"]
        trust.save(update_fields=["received"])
    have_receipts = Receipt.objects.filter(organization=org).count()
    if have_receipts < receipts:
        gifts = list(Donation.objects.filter(campaign=campaign).select_related("donor")
                     .order_by("pk")[have_receipts:receipts])
        Receipt.objects.bulk_create([
            Receipt(organization=org, number=have_receipts + i + 1, donation=gift, issued_on=dt.date.today(),
                    issued_by=user, donor_name=gift.donor.name, donor_address=gift.donor.address, amount=gift.amount,
                    eligible_amount=gift.amount) for i, gift in enumerate(gifts)], batch_size=1000)
    return org, campaign, trust


def best_ms(fn, runs: int = 5) -> float:
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(min(times), 1)


def run_bench(donations: int = 100_000, receipts: int = 1_000) -> dict:
    import django

    django.setup()
    from django.db import connection

    from haven.funds import ledger, pdf, reports
    from haven.funds.models import Receipt, TrustAccount

    started = time.perf_counter()
    org, campaign, trust = seed(donations, receipts)
    log(f"seeded in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        # VACUUM sets the visibility map after the bulk insert, so the campaign sums can be index-only scans.
        cursor.execute("VACUUM ANALYZE funds_donation" if connection.vendor == "postgresql" else "ANALYZE")
    totals = {
        "campaign_total_ms": best_ms(lambda: reports.campaign_progress([campaign])),
        "raised_over_time_ms": best_ms(lambda: reports.raised_over_time(campaign)),
        "trust_balances_ms": best_ms(lambda: ledger.recomputed(trust)),
        "organization_totals_ms": best_ms(lambda: reports.organization_totals([org.pk])),
    }
    # What a page shows: the campaign's total and the trusts' and families' balances. The balances are the running
    # totals kept under row locks (one row each); `recomputed` re-adds every entry, the ledger's own check.
    all_together = best_ms(lambda: (reports.campaign_progress([campaign]), reports.organization_totals([org.pk]),
                                    list(TrustAccount.objects.filter(organization=org))))
    with_verification = best_ms(lambda: (reports.campaign_progress([campaign]), reports.raised_over_time(campaign),
                                         ledger.recomputed(trust), reports.organization_totals([org.pk])))
    chosen = list(Receipt.objects.filter(organization=org).select_related("donation").order_by("number")[:receipts])
    started = time.perf_counter()
    document = pdf.render_receipts(chosen)
    batch_s = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    for receipt in chosen[:20]:
        pdf.render_receipt(receipt)
    one_by_one_s = round((time.perf_counter() - started) / 20 * receipts, 1)
    report = {
        "database": connection.vendor, "donations": donations, **totals,
        "ledger_balances_and_campaign_totals_ms": all_together,
        "with_chart_series_and_recomputed_ledger_ms": with_verification, "target_ms": TARGET_MS,
        "meets_ms_target": all_together < TARGET_MS,
        "receipts": len(chosen), "receipts_pdf_one_document_s": batch_s, "receipts_pdf_bytes": len(document),
        "receipts_pdf_one_by_one_extrapolated_s": one_by_one_s, "target_pdf_s": TARGET_PDF_S,
        "meets_pdf_target": batch_s < TARGET_PDF_S,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "funds.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


if __name__ == "__main__":
    print(json.dumps(run_bench(), indent=1))
