"""The header search page: one box for persons, households and cases (haven.cases.header_search)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from haven.audit.models import Action
from haven.audit.services import Event, object_label, record_events
from haven.cases.header_search import search_everything


@login_required
def search(request):
    query = request.GET.get("q", "")[:200]
    results = search_everything(request.user, query)
    if results.count:
        # Audited as a list read, like every other list: one LIST row per kind of record shown.
        summary = f"search {query!r}"[:300]
        record_events(actor=request.user, events=[
            Event(action=Action.LIST, object_type=object_label(rows[0]), summary=summary,
                  changes={"ids": [row.pk for row in rows]})
            for rows in (results.persons, results.households, results.cases) if rows])
    return render(request, "web/search.html", {"results": results, "query": query})
