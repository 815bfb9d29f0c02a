"""The settlement plan summary as PDF (WeasyPrint). Names are printed in Hangul as well: the stylesheet asks for
a CJK font (Noto Sans CJK, installed by scripts/install-system-deps.sh) before the Latin fallback."""
from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string

from haven.people.models import Person
from haven.sponsorship.budget import Budget
from haven.sponsorship.models import SettlementPlan


def plan_pdf(*, plan: SettlementPlan, budget: Budget, today: dt.date) -> bytes:
    application = plan.application
    people = list(Person.objects.filter(household_id=application.case.household_id).order_by("pk"))
    html = render_to_string("sponsorship/plan_pdf.html", {
        "plan": plan, "application": application, "budget": budget, "people": people, "today": today,
        "schedule": list(enumerate(budget.schedule, start=1)),
        "in_kind": list(plan.in_kind.all())})
    from weasyprint import HTML  # heavy (0.35 s to import): loaded when a PDF is asked for, not by every command

    return HTML(string=html).write_pdf()
