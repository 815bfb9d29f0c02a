from django.urls import path

from haven.transfer import views

urlpatterns = [
    path("", views.case_export, name="case_export"),
]
