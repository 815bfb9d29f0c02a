"""Official receipts as PDF (WeasyPrint). Many receipts render as one document in one layout pass, sharing one
font configuration: rendering them one by one spends most of its time loading fonts again (bench/funds_bench.py).
The font stack puts Noto Sans CJK KR (Debian fonts-noto-cjk, scripts/install-system-deps.sh) before DejaVu Sans so
that donors' Hangul names render."""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from django.template.loader import render_to_string

from haven.funds.models import CharityProfile, Receipt


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def receipt_pages(receipts: Sequence[Receipt], profiles: dict[int, CharityProfile]) -> list[dict]:
    pages = []
    for receipt in receipts:
        replaced_by = getattr(receipt, "replaced_by", None) if receipt.status == Receipt.Status.VOID else None
        pages.append({"receipt": receipt, "charity": profiles[receipt.organization_id],
                      "donation": receipt.donation, "replaced_by": replaced_by})
    return pages


def render_receipts(receipts: Sequence[Receipt]) -> bytes:
    """One PDF with one page per receipt, in the order given."""
    from weasyprint import HTML

    org_ids = {receipt.organization_id for receipt in receipts}
    profiles = {p.organization_id: p for p in CharityProfile.objects.filter(organization_id__in=org_ids)}
    html = render_to_string("funds/receipt_pdf.html", {"pages": receipt_pages(receipts, profiles)})
    config = _font_config()
    return HTML(string=html).write_pdf(font_config=config)


def render_receipt(receipt: Receipt) -> bytes:
    return render_receipts([receipt])
