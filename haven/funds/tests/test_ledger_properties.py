"""The ledger balances for any sequence of operations (hypothesis stateful test).

A shadow model predicts, for each operation, whether the services must accept or refuse it; after every step the
invariants are checked against the database: per sponsor-group trust 0 <= allocated <= received, per family
0 <= paid <= allocated, and every running total equals the sum of its entries (haven.funds.ledger.recomputed)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from haven.funds import ledger, services
from haven.funds.models import Disbursement, Donation, FamilyFund, TrustAccount
from haven.testing.factories import CaseFactory, HouseholdFactory
from haven.testing.personas import PersonaTestCase

TODAY = dt.date.today()
AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("3000.00"), places=2)
BAD_AMOUNTS = st.sampled_from([Decimal("-1.00"), Decimal("0"), Decimal("10.001"), Decimal("1E+12")])


def ledger_machine(t):
    class LedgerMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.received = {t.group_a.pk: Decimal("0"), t.group_b.pk: Decimal("0")}
            self.allocated = dict.fromkeys(self.received, Decimal("0"))
            self.fund_allocated = {case.pk: Decimal("0") for case in t.families}
            self.fund_paid = dict.fromkeys(self.fund_allocated, Decimal("0"))
            self.gifts: list[Donation] = []
            self.months: list[Disbursement] = []

        def teardown(self):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        def refused(self, call, **kwargs) -> bool:
            try:
                call(**kwargs)
            except ValidationError:
                return True
            return False

        @rule(group=st.sampled_from(["a", "b"]), amount=AMOUNTS)
        def receive(self, group, amount):
            team = t.group_a if group == "a" else t.group_b
            gift = services.record_donation(actor=t.owner, organization=t.org, amount=amount, received_on=TODAY,
                                            sponsor_group=team)
            self.gifts.append(gift)
            self.received[team.pk] += amount

        @rule(amount=BAD_AMOUNTS)
        def receive_bad_amount(self, amount):
            assert self.refused(services.record_donation, actor=t.owner, organization=t.org, amount=amount,
                                received_on=TODAY, sponsor_group=t.group_a)

        @rule(index=st.integers(min_value=0, max_value=50))
        def void_gift(self, index):
            if not self.gifts:
                return
            gift = self.gifts[index % len(self.gifts)]
            group = gift.trust.sponsor_group_id
            expect_ok = (Donation.objects.get(pk=gift.pk).status == Donation.Status.RECEIVED
                         and self.received[group] - gift.amount >= self.allocated[group])
            refused = self.refused(services.void_donation, actor=t.owner, donation=gift, reason="test")
            assert refused != expect_ok
            if expect_ok:
                self.received[group] -= gift.amount

        @rule(family=st.integers(min_value=0, max_value=2), amount=AMOUNTS | BAD_AMOUNTS)
        def allocate(self, family, amount):
            case = t.families[family]
            group = case.sponsor_group_id
            expect_ok = amount > 0 and amount == amount.quantize(Decimal("0.01")) and \
                self.allocated[group] + amount <= self.received[group]
            refused = self.refused(ledger.allocate, actor=t.owner, case=case, amount=amount)
            assert refused != expect_ok, (amount, self.allocated[group], self.received[group])
            if expect_ok:
                self.allocated[group] += amount
                self.fund_allocated[case.pk] += amount

        @rule(family=st.integers(min_value=0, max_value=2), amounts=st.lists(AMOUNTS, min_size=1, max_size=4))
        def plan(self, family, amounts):
            schedule = [(TODAY + dt.timedelta(days=30 * i), amount) for i, amount in enumerate(amounts)]
            planned = ledger.plan_disbursements(actor=t.owner, case=t.families[family], schedule=schedule)
            self.months.extend(planned)

        @rule(index=st.integers(min_value=0, max_value=50), by_requester=st.booleans())
        def approve(self, index, by_requester):
            if not self.months:
                return
            month = self.months[index % len(self.months)]
            status = Disbursement.objects.get(pk=month.pk).status
            expect_ok = status == Disbursement.Status.PLANNED and not by_requester
            actor = t.owner if by_requester else t.colleague
            assert self.refused(ledger.approve_disbursement, actor=actor, disbursement=month) != expect_ok

        @rule(index=st.integers(min_value=0, max_value=50))
        def pay(self, index):
            if not self.months:
                return
            month = Disbursement.objects.select_related("fund").get(pk=self.months[index % len(self.months)].pk)
            case_pk = month.fund.case_id
            expect_ok = month.status == Disbursement.Status.APPROVED and \
                self.fund_paid[case_pk] + month.amount <= self.fund_allocated[case_pk]
            assert self.refused(ledger.pay_disbursement, actor=t.owner, disbursement=month) != expect_ok
            if expect_ok:
                self.fund_paid[case_pk] += month.amount

        @rule(index=st.integers(min_value=0, max_value=50))
        def cancel(self, index):
            if not self.months:
                return
            month = self.months[index % len(self.months)]
            status = Disbursement.objects.get(pk=month.pk).status
            expect_ok = status in (Disbursement.Status.PLANNED, Disbursement.Status.APPROVED)
            assert self.refused(ledger.cancel_disbursement, actor=t.owner, disbursement=month) != expect_ok

        @invariant()
        def ledger_balances(self):
            for trust in TrustAccount.objects.all():
                assert Decimal("0") <= trust.allocated <= trust.received
                assert (trust.received, trust.allocated) == (self.received[trust.sponsor_group_id],
                                                             self.allocated[trust.sponsor_group_id])
                totals, families = ledger.recomputed(trust)
                assert (totals.received, totals.allocated) == (trust.received, trust.allocated)
                for fund in FamilyFund.objects.filter(trust=trust):
                    assert Decimal("0") <= fund.paid <= fund.allocated
                    assert (fund.allocated, fund.paid) == (families[fund.pk].allocated, families[fund.pk].paid)
                    assert (fund.allocated, fund.paid) == (self.fund_allocated[fund.case_id],
                                                           self.fund_paid[fund.case_id])

    return LedgerMachine


class LedgerPropertyTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        second = CaseFactory(organization=cls.org, sponsor_group=cls.group_a, reference="MSS-2026-002",
                             household=HouseholdFactory(organization=cls.org, reference="HH-002"))
        third = CaseFactory(organization=cls.org, sponsor_group=cls.group_b, reference="MSS-2026-003",
                            household=HouseholdFactory(organization=cls.org, reference="HH-003"))
        cls.families = [cls.case, second, third]

    def test_the_ledger_balances_for_any_sequence_of_operations(self):
        run_state_machine_as_test(ledger_machine(self), settings=settings(
            max_examples=40, stateful_step_count=25, deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
