"""Words for the codes the statistics pages keep: published figures' measures (haven.stats.published normalizes
publishers' wordings to these keys), their units and the countries they are about. The page and the PDF show the
words; CSV and XLSX keep the codes, for calculation."""
from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from haven.people.codes import country_name

MEASURE_LABELS = {
    "referred": _("Claims referred"),
    "accepted": _("Accepted"),
    "rejected": _("Rejected"),
    "abandoned": _("Abandoned"),
    "withdrawn": _("Withdrawn"),
    "withdrawn_other": _("Withdrawn and other"),
    "finalized": _("Finalized"),
    "pending": _("Pending"),
    "acceptance_rate": _("Acceptance rate"),
    "recognition_rate": _("Recognition rate"),
    "rejection_share": _("Share refused"),
    "abandonment_share": _("Share abandoned"),
    "rad_filed": _("RAD appeals filed"),
}
# Units as publishers write them (lower case); any other is shown as the publisher wrote it.
UNIT_LABELS = {
    "percent": _("percent"),
    "%": _("percent"),
    "claims": _("claims"),
    "claimants": _("claimants"),
    "persons": _("people"),
    "people": _("people"),
    "removals": _("removals"),
    "appeals": _("appeals"),
}


def measure_label(key: str) -> str:
    """A measure's name in the reader's language; a key Haven does not know, with its underscores as spaces."""
    return str(MEASURE_LABELS[key]) if key in MEASURE_LABELS else (key or "").replace("_", " ")


def unit_label(unit: str) -> str:
    text = (unit or "").strip()
    return str(UNIT_LABELS.get(text.lower(), text))


# The display of each column that holds a code, by column key (haven.stats.exports.display_cells).
CODED_COLUMNS = {"country": lambda code: country_name(code) if code else "", "measure": measure_label,
                 "unit": unit_label}


def shown(key: str, value: Any) -> Any:
    """A cell of column `key` as people read it: a code as its words, anything else as it is."""
    words = CODED_COLUMNS.get(key)
    return words(value) if words is not None and isinstance(value, str) else value
