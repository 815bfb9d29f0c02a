"""The API's pagination: DRF's page numbers, with a malformed `page` refused instead of read as the first page
(`?page=` answered page 1, `?page=abc` 404). A page past the last still answers 404."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class HavenPagination(PageNumberPagination):
    def paginate_queryset(self, queryset, request, view=None):
        page = request.query_params.get(self.page_query_param)
        if page is not None and page not in self.last_page_strings and not (
                page.isascii() and page.isdigit() and 0 < int(page) < 2**31):
            raise ValidationError({self.page_query_param: [_("Enter a page number: a whole number from 1.")]})
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
        return parameters
