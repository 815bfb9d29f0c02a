"""Official donation receipts for income-tax purposes (Income Tax Regulations s. 3501; docs/funds-receipts.md).

Serial numbers: each organization has one ReceiptCounter row; the transaction that issues a receipt locks it
(`select_for_update`), takes the next number and commits the receipt with it. Two receipts issued at the same
time wait for each other on that row, so numbers run 1, 2, 3... without a gap and never twice (tested with
concurrent threads on PostgreSQL). A receipt is never deleted or edited: voiding one needs a second person's
approval, and a replacement receipt carries a new number and names the one it cancels and replaces."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.audit.models import Action
from haven.audit.services import record
from haven.funds.ledger import SECOND_USER
from haven.funds.models import CharityProfile, Donation, Receipt, ReceiptCounter
from haven.funds.money import cents
from haven.funds.services import check_staff


def check_issue_receipt(*, actor, donation: Donation) -> None:
    check_staff(actor, donation.organization_id)
    if not CharityProfile.objects.filter(organization_id=donation.organization_id).exists():
        raise ValidationError(_("Enter the charity's details (name, address, registration number, place of issue, "
                                "signatory) before issuing official receipts."))
    if donation.status != Donation.Status.RECEIVED:
        raise ValidationError(_("A cancelled gift gets no receipt."))
    if donation.donor_id is None:
        raise ValidationError(_("An official receipt names the donor and their address (Income Tax Regulations "
                                "s. 3501(1)(h)): record who gave this gift first."))
    if not donation.donor.address.strip():
        raise ValidationError(_("An official receipt shows the donor's address (Income Tax Regulations "
                                "s. 3501(1)(h)): add it to the donor first."))
    if donation.receipts.filter(status=Receipt.Status.ISSUED).exists():
        raise ValidationError(_("This gift already has an official receipt: void it to issue a replacement."))


def _next_number(organization_id: int) -> int:
    """The next serial number, under the counter row's lock (held until the caller's transaction ends)."""
    ReceiptCounter.objects.get_or_create(organization_id=organization_id)
    counter = ReceiptCounter.objects.select_for_update().get(organization_id=organization_id)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _new_receipt(*, actor, donation: Donation, replaces: Receipt | None = None) -> Receipt:
    receipt = Receipt.objects.create(
        organization_id=donation.organization_id, number=_next_number(donation.organization_id),
        donation=donation, issued_on=timezone.localdate(), issued_by=actor, donor_name=donation.donor.name,
        donor_address=donation.donor.address, amount=donation.amount, advantage=donation.advantage,
        advantage_description=donation.advantage_description, eligible_amount=donation.eligible_amount,
        replaces=replaces)
    record(actor=actor, action=Action.CREATE, obj=receipt, case_id=donation.case_id,
           summary=f"official receipt No. {receipt.number}",
           changes={"number": receipt.number, "donation": donation.pk, "eligible_amount": cents(receipt.eligible_amount),
                    "replaces": replaces.number if replaces else None})
    return receipt


def issue_receipt(*, actor, donation: Donation) -> Receipt:
    with transaction.atomic():
        # The gift's row is locked too: two clicks on "issue" give one receipt, not two.
        donation = Donation.objects.select_for_update(of=("self",)).select_related("donor").get(pk=donation.pk)
        check_issue_receipt(actor=actor, donation=donation)
        return _new_receipt(actor=actor, donation=donation)


def check_request_void(*, actor, receipt: Receipt, reason: str) -> None:
    check_staff(actor, receipt.organization_id)
    if receipt.status != Receipt.Status.ISSUED:
        raise ValidationError(_("This receipt is already void."))
    if receipt.void_requested_by_id is not None:
        raise ValidationError(_("Voiding this receipt has already been requested and waits for approval."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the receipt is void (for example: wrong address).")})


def request_receipt_void(*, actor, receipt: Receipt, reason: str, replace: bool = True) -> Receipt:
    """Ask for the receipt to be voided (and, if `replace`, replaced by a corrected one on approval)."""
    with transaction.atomic():
        receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
        check_request_void(actor=actor, receipt=receipt, reason=reason)
        receipt.void_requested_by, receipt.void_requested_at = actor, timezone.now()
        receipt.void_reason, receipt.void_replace = reason.strip(), replace
        receipt.save(update_fields=["void_requested_by", "void_requested_at", "void_reason", "void_replace"])
        record(actor=actor, action=Action.UPDATE, obj=receipt, summary=f"void of receipt No. {receipt.number} "
               "requested", changes={"reason": receipt.void_reason, "replace": replace})
    return receipt


def check_approve_void(*, actor, receipt: Receipt) -> None:
    check_staff(actor, receipt.organization_id)
    if not receipt.void_pending:
        raise ValidationError(_("No void of this receipt is waiting for approval."))
    if receipt.void_requested_by_id == actor.pk:
        raise ValidationError(SECOND_USER)


def approve_receipt_void(*, actor, receipt: Receipt) -> Receipt | None:
    """Void the receipt; if a replacement was asked for, issue it in the same transaction (a new serial number,
    "Cancels and replaces receipt No. X", from the gift and donor as they are now). Returns the replacement."""
    with transaction.atomic():
        receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
        check_approve_void(actor=actor, receipt=receipt)
        receipt.status, receipt.voided_by, receipt.voided_at = Receipt.Status.VOID, actor, timezone.now()
        receipt.save(update_fields=["status", "voided_by", "voided_at"])
        record(actor=actor, action=Action.UPDATE, obj=receipt, summary=f"receipt No. {receipt.number} void",
               changes={"status": "void", "requested_by": receipt.void_requested_by_id})
        if not receipt.void_replace:
            return None
        donation = Donation.objects.select_for_update(of=("self",)).select_related("donor").get(pk=receipt.donation_id)
        check_issue_receipt(actor=actor, donation=donation)
        return _new_receipt(actor=actor, donation=donation, replaces=receipt)
