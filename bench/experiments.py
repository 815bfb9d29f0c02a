"""Proposed changes measured without touching the application: `bench/run.py --experiment NAME` serves
`bench.experiments:application`, which applies the named patch before loading haven.wsgi.

- deferred-paginate: the case list's page taken as a bare COUNT(*) plus the ids of the page, joined
  afterwards (BENCHMARKS.md, finding 1), instead of one query with COUNT(*) OVER ().
"""
from __future__ import annotations

import os

from django.core.paginator import Page, Paginator


def deferred_paginate(queryset, number, per_page: int) -> Page:
    paginator = Paginator(queryset, per_page)  # count(): SELECT COUNT(*) on the filtered cases, no joins
    try:
        wanted = max(int(number), 1)
    except (TypeError, ValueError):
        wanted = 1
    wanted = min(wanted, paginator.num_pages)
    offset = (wanted - 1) * per_page
    page = paginator.page(wanted)
    ids = queryset.values("pk")[offset:offset + per_page]
    page.object_list = list(queryset.filter(pk__in=ids))
    return page


PATCHES = {"deferred-paginate": ("haven.cases.selectors", "paginate", deferred_paginate)}


def apply(name: str) -> None:
    import importlib

    module_name, attribute, replacement = PATCHES[name]
    setattr(importlib.import_module(module_name), attribute, replacement)


def _application():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    for name in filter(None, os.environ.get("HAVEN_BENCH_EXPERIMENT", "").split(",")):
        apply(name)
    return app


application = _application()
