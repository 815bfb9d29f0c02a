from django.urls import path

from haven.claims import views

urlpatterns = [
    path("deadlines/", views.deadlines, name="deadlines"),
    path("calendar/", views.calendar_settings, name="deadline_calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="deadline_feed"),
    path("case/<int:case_pk>/", views.case_claims, name="case_claims"),
    path("case/<int:case_pk>/new/", views.claim_create, name="claim_create"),
    path("<int:pk>/", views.claim_detail, name="claim_detail"),
    path("<int:pk>/steps/new/", views.claim_event_add, name="claim_event_add"),
    path("steps/<int:pk>/correct/", views.claim_event_correct, name="claim_event_correct"),
    path("steps/<int:pk>/remove/", views.claim_event_remove, name="claim_event_remove"),
    path("<int:pk>/issues/new/", views.claim_issue_add, name="claim_issue_add"),
    path("evidence/<int:pk>/", views.evidence_update, name="evidence_update"),
    path("claimants/<int:pk>/decision/", views.claimant_decision, name="claimant_decision"),
]
