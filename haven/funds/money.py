"""Amounts of money: Decimal, in cents, never negative (docs/architecture.md: money is Decimal)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


CENT = Decimal("0.01")
# DecimalField(max_digits=12, decimal_places=2): ten digits before the point.
LIMIT = Decimal("10000000000")


def check_amount(value, field: str, *, allow_zero: bool = False) -> Decimal:
    """`value` as a Decimal of whole cents; a ValidationError keyed by `field` for anything else."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Enter an amount such as 1250.00.")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Enter an amount such as 1250.00.")})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("Amounts are in whole cents: use at most two decimal places.")})
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: _("The amount must be more than zero.") if not allow_zero
                               else _("The amount cannot be negative.")})
    if amount >= LIMIT:
        raise ValidationError({field: _("The amount is too large.")})
    return amount.quantize(CENT)


def cents(value: Decimal) -> str:
    return format(value.quantize(CENT), "f")
