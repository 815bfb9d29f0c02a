from django.urls import path

from haven.settlement import views, views_access

urlpatterns = [
    path("cases/<int:pk>/settlement/", views.plan, name="settlement_plan"),
    path("cases/<int:pk>/settlement/goals/add/", views.goal_add, name="settlement_goal_add"),
    path("cases/<int:pk>/settlement/referrals/add/", views.referral_add, name="settlement_referral_add"),
    path("cases/<int:pk>/settlement/milestones/", views.milestone_record, name="settlement_milestone_record"),
    path("cases/<int:pk>/settlement/months/add/", views.budget_add, name="settlement_month_add"),
    path("cases/<int:pk>/settlement/assessments/new/", views.assessment_create, name="settlement_assessment_create"),
    path("cases/<int:pk>/settlement/designations/add/", views_access.designation_add,
         name="settlement_designation_add"),
    path("cases/<int:pk>/settlement/restricted/", views_access.restricted_notes, name="settlement_restricted_notes"),
    path("cases/<int:pk>/settlement/plan.pdf", views_access.family_plan_pdf, name="settlement_family_plan_pdf"),
    path("cases/<int:pk>/summary.pdf", views_access.case_summary_pdf, name="case_summary_pdf"),
    path("settlement/assessments/<int:pk>/", views.assessment_detail, name="settlement_assessment"),
    path("settlement/assessments/<int:pk>/delete/", views.assessment_delete, name="settlement_assessment_delete"),
    path("settlement/goals/<int:pk>/edit/", views.goal_edit, name="settlement_goal_edit"),
    path("settlement/goals/<int:pk>/delete/", views.goal_delete, name="settlement_goal_delete"),
    path("settlement/referrals/<int:pk>/status/", views.referral_status, name="settlement_referral_status"),
    path("settlement/referrals/<int:pk>/delete/", views.referral_delete, name="settlement_referral_delete"),
    path("settlement/milestones/<int:pk>/clear/", views.milestone_clear, name="settlement_milestone_clear"),
    path("settlement/months/<int:pk>/delete/", views.budget_delete, name="settlement_month_delete"),
    path("settlement/designations/<int:pk>/remove/", views_access.designation_remove,
         name="settlement_designation_remove"),
    path("settlement/restricted/<int:pk>/", views_access.restricted_note_detail, name="settlement_restricted_note"),
    path("settlement/restricted/<int:pk>/delete/", views_access.restricted_note_delete,
         name="settlement_restricted_note_delete"),
    path("settlement/providers/", views_access.provider_list, name="settlement_providers"),
    path("settlement/providers/<int:pk>/edit/", views_access.provider_edit, name="settlement_provider_edit"),
    path("settlement/providers/<int:pk>/delete/", views_access.provider_delete, name="settlement_provider_delete"),
]
