from django.urls import path

from haven.sponsorship import plan_views, views

app_name = "sponsorship"
urlpatterns = [
    path("", views.pipeline, name="pipeline"),
    path("case/<int:case_pk>/", views.case_application, name="case_application"),
    path("case/<int:case_pk>/apply/", views.application_create, name="application_create"),
    path("<int:pk>/", views.application_detail, name="application_detail"),
    path("<int:pk>/steps/new/", views.step_add, name="step_add"),
    path("steps/<int:pk>/correct/", views.step_correct, name="step_correct"),
    path("steps/<int:pk>/remove/", views.step_remove, name="step_remove"),
    path("<int:pk>/priority/", views.priority, name="priority"),
    path("<int:pk>/eligibility/", views.eligibility_form, name="eligibility"),
    path("<int:pk>/plan/", plan_views.plan_edit, name="plan_edit"),
    path("<int:pk>/plan/in-kind/", plan_views.in_kind_add, name="in_kind_add"),
    path("<int:pk>/plan/extension/", plan_views.extension_request, name="extension_request"),
    path("<int:pk>/plan/extension/approve/", plan_views.extension_approve, name="extension_approve"),
    path("<int:pk>/plan.pdf", plan_views.plan_pdf, name="plan_pdf"),
    path("sponsors/", plan_views.sponsor_list, name="sponsor_list"),
    path("sponsors/<int:team_pk>/", plan_views.sponsor_detail, name="sponsor_detail"),
    path("sponsors/<int:team_pk>/members/", plan_views.sponsor_member_add, name="sponsor_member_add"),
]
