from django.urls import path

from haven.funds import views, views_ledger

app_name = "funds"

urlpatterns = [
    path("", views.home, name="home"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("donors/", views.donor_list, name="donor_list"),
    path("donors/new/", views.donor_create, name="donor_create"),
    path("donors/<int:pk>/", views.donor_detail, name="donor_detail"),
    path("pledges/new/", views.pledge_create, name="pledge_create"),
    path("donations/new/", views.donation_create, name="donation_create"),
    path("donations/<int:pk>/", views.donation_detail, name="donation_detail"),
    path("donations/<int:pk>/receipt/", views.receipt_issue, name="receipt_issue"),
    path("receipts/<int:pk>/", views.receipt_detail, name="receipt_detail"),
    path("receipts/<int:pk>/pdf/", views.receipt_pdf, name="receipt_pdf"),
    path("receipts/<int:pk>/void/", views.receipt_void_request, name="receipt_void_request"),
    path("receipts/<int:pk>/void/approve/", views.receipt_void_approve, name="receipt_void_approve"),
    path("trusts/<int:pk>/", views_ledger.trust_detail, name="trust_detail"),
    path("trusts/<int:pk>/allocate/", views_ledger.allocate, name="allocate"),
    path("families/<int:case_pk>/", views_ledger.family, name="family"),
    path("families/<int:case_pk>/plan/", views_ledger.plan, name="plan"),
    path("families/<int:case_pk>/plan/settlement/", views_ledger.plan_from_settlement, name="plan_from_settlement"),
    path("disbursements/<int:pk>/approve/", views_ledger.disbursement_approve, name="disbursement_approve"),
    path("disbursements/<int:pk>/pay/", views_ledger.disbursement_pay, name="disbursement_pay"),
    path("ledger.<str:fmt>", views_ledger.ledger_export, name="ledger_export"),
    path("settings/<int:pk>/", views_ledger.charity_settings, name="charity_settings"),
]
