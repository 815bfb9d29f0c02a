"""Concurrent writers on PostgreSQL: receipt numbers without gap or duplicate, and no overdraft of a trust."""
from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from haven.funds import ledger, receipts, services, testing
from haven.funds.models import Receipt, TrustAccount
from haven.testing.databases import postgresql_only
from haven.testing.personas import build_personas

THREADS = 8


def run_together(work, count: int) -> list[Exception]:
    """Start `count` threads on `work(n)` at the same moment; the exceptions they raised."""
    errors: list[Exception] = []
    start = threading.Barrier(count)

    def runner(n: int):
        try:
            start.wait(30)
            work(n)
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


@pytest.fixture
def maple(transactional_db):
    t = SimpleNamespace()
    build_personas(t)
    testing.charity(t)
    t.donor = services.create_donor(actor=t.owner, organization=t.org, name="Min-ji Park",
                                    address="1 Rue Principale, Gatineau QC")
    return t


@postgresql_only
def test_receipts_issued_concurrently_are_numbered_1_to_n_without_gap_or_duplicate(maple):
    gifts = [services.record_donation(actor=maple.owner, organization=maple.org, donor=maple.donor,
                                      amount=Decimal(f"{n + 1}0.00"), received_on=dt.date.today())
             for n in range(THREADS * 2)]
    issuers = [maple.owner, maple.colleague]

    def issue(n: int):
        # Two receipts per thread, and each gift asked for twice: one of the two asks must be refused.
        for gift in (gifts[n], gifts[n + THREADS], gifts[n]):
            try:
                receipts.issue_receipt(actor=issuers[n % 2], donation=gift)
            except ValidationError as error:
                assert "already has an official receipt" in " ".join(error.messages)

    errors = run_together(issue, THREADS)
    assert errors == []
    numbers = sorted(Receipt.objects.filter(organization=maple.org).values_list("number", flat=True))
    assert numbers == list(range(1, THREADS * 2 + 1))
    assert Receipt.objects.values("donation").distinct().count() == THREADS * 2


@postgresql_only
def test_concurrent_allocations_never_overdraw_the_trust(maple):
    services.record_donation(actor=maple.owner, organization=maple.org, amount=Decimal("1000.00"),
                             received_on=dt.date.today(), sponsor_group=maple.group_a)
    refusals = []

    def allocate(n: int):
        try:
            ledger.allocate(actor=maple.owner, case=maple.case, amount=Decimal("300.00"))
        except ValidationError:
            refusals.append(n)

    assert run_together(allocate, THREADS) == []
    trust = TrustAccount.objects.get(sponsor_group=maple.group_a)
    assert (trust.received, trust.allocated) == (Decimal("1000.00"), Decimal("900.00"))
    assert len(refusals) == THREADS - 3
    assert ledger.recomputed(trust)[0].allocated == Decimal("900.00")
