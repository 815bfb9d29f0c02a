from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from haven.transfer import views as transfer_views
from haven.web.health import healthz


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("haven.accounts.urls")),
    path("api/v1/", include("haven.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("admin/", admin.site.urls),
    path("stats/", include("haven.stats.urls")),
    path("claims/", include("haven.claims.urls")),
    path("cases/export/", include("haven.transfer.urls")),
    path("people/import/", transfer_views.people_import, name="people_import"),
    path("people/import/template.csv", transfer_views.people_import_template, name="people_import_template"),
    path("matching/", include("haven.matching.urls")),
    path("sponsorship/", include("haven.sponsorship.urls")),
    path("", include("haven.settlement.urls")),
    path("work/", include("haven.casework.urls")),
    path("funds/", include("haven.funds.urls")),
    path("", include("haven.web.urls")),
]

handler404 = "haven.web.errors.not_found"
