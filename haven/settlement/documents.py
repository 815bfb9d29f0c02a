"""What the settlement pages draw and print: the domain-levels chart (server-rendered SVG, as haven.stats.charts
draws, no script) and the two PDFs (WeasyPrint): the family's own plan, in Korean, English or French, and the
staff's case summary. Korean text is set in Noto Sans CJK KR (fonts-noto-cjk, scripts/install-system-deps.sh)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from haven.cases.models import Case
from haven.people.codes import language_name
from haven.people.display import name_for_language
from haven.people.selectors import household_members
from haven.settlement.models import Assessment, Domain, DomainRating
from haven.stats.charts import render_svg

PLAN_LANGUAGES = ("ko", "en", "fr")


def _series(assessments: Sequence[Assessment], pick) -> list[tuple[str, list]]:
    """(label, one value per assessment or None) for every series `pick(rating)` yields values for."""
    found: dict[str, list] = {}
    for index, assessment in enumerate(assessments):
        for rating in assessment.ratings.all():
            for label, value in pick(rating):
                found.setdefault(label, [None] * len(assessments))[index] = value
    return list(found.items())


def _domain_levels(rating: DomainRating) -> Iterable[tuple[str, int]]:
    yield str(Domain(rating.domain).label), rating.level


def _benchmarks(rating: DomainRating) -> Iterable[tuple[str, int]]:
    labels = {"clb_listening": _("Listening"), "clb_speaking": _("Speaking"), "clb_reading": _("Reading"),
              "clb_writing": _("Writing")}
    for name in DomainRating.CLB_FIELDS:
        value = getattr(rating, name)
        if rating.domain == Domain.LANGUAGE and value is not None:
            yield str(labels[name]), value


def assessment_charts(assessments: Sequence[Assessment]) -> dict[str, str]:
    """Each domain's level (1-5) over the assessments, and the language benchmarks (CLB 1-12) over them: SVG
    markup, or nothing when there is nothing to draw. `assessments` carry their (already trimmed) ratings."""
    if not assessments:
        return {}
    dates = [a.assessed_on.isoformat() for a in assessments]
    charts = {"levels": render_svg(title=_("Level per domain over time"), categories=dates,
                                   series=_series(assessments, _domain_levels), kind="line")}
    benchmarks = _series(assessments, _benchmarks)
    if benchmarks:
        charts["benchmarks"] = render_svg(title=_("Canadian Language Benchmarks over time"), categories=dates,
                                          series=benchmarks, kind="line")
    return charts


@dataclass(frozen=True)
class AppointmentRow:
    """An upcoming appointment as the family's plan prints it (from haven.casework: `appointment_rows`)."""

    starts_at: dt.datetime
    place: str
    title: str = ""
    interpreter: str = ""


def appointment_rows(appointments: Iterable, *, language: str) -> list[AppointmentRow]:
    """haven.casework appointments as the family's plan prints them: the place (or the link of a call) and the
    interpreter's language named in the plan's language."""
    with translation.override(language):
        return [AppointmentRow(starts_at=item.starts_at, place=item.place or item.link, title=item.title,
                               interpreter=language_name(item.interpreter_language)
                               if item.interpreter_language else "") for item in appointments]


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # heavy: loaded when a PDF is asked for

    return HTML(string=render_to_string(template, context)).write_pdf()


def family_plan_pdf(case: Case, *, language: str, goals, milestone_rows, appointments:
                    Sequence[AppointmentRow] | None = None) -> bytes:
    """The family's own plan: its goals (outside the health domains), milestones and upcoming appointments, in
    `language` (ko, en or fr); in Korean the Hangul names come first."""
    if language not in PLAN_LANGUAGES:
        raise ValueError(language)
    with translation.override(language):
        members = [name_for_language(person, language) for person in household_members(case.household)]
        return _pdf("settlement/family_plan_pdf.html", {
            "case": case, "members": members, "goals": goals, "milestones": milestone_rows,
            "appointments": list(appointments or []), "language": language,
            "printed_on": timezone.localdate(),
        })


def case_summary_pdf(case: Case, *, assignments, goals, referrals, milestone_rows, indicator,
                     latest_assessment) -> bytes:
    """The staff's printable case summary, in the reader's language."""
    language = translation.get_language()
    members = [(name_for_language(person, language), person) for person in household_members(case.household)]
    return _pdf("settlement/case_summary_pdf.html", {
        "case": case, "members": members, "assignments": assignments, "goals": goals, "referrals": referrals,
        "milestones": milestone_rows, "indicator": indicator, "latest": latest_assessment,
        "printed_on": timezone.localdate(), "language": language,
    })
