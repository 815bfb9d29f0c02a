from django.urls import path

from haven.stats import views

urlpatterns = [
    path("", views.outcomes, name="stats_outcomes"),
    path("published/", views.published, name="stats_published"),
    path("quality/", views.quality, name="stats_quality"),
    path("export/<slug:key>.<slug:fmt>", views.export, name="stats_export"),
]
