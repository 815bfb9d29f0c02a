"""Django's 404 for a URL no route matches: under /api/ the API's own JSON answer (as DRF's handler writes it for a
missing record), elsewhere the site's 404 page."""
from __future__ import annotations

from django.http import JsonResponse
from django.views.defaults import page_not_found


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
