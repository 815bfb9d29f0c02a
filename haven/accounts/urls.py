from django.urls import path

from haven.accounts import views

urlpatterns = [
    path("login/", views.HavenLoginView.as_view(), name="login"),
    path("logout/", views.HavenLogoutView.as_view(), name="logout"),
    path("two-factor/", views.TwoFactorView.as_view(), name="two_factor"),
    path("authenticator/remove/", views.account_two_factor_remove, name="account_two_factor_remove"),
    path("", views.account, name="account"),
    path("language/", views.account_language, name="account_language"),
    path("password/", views.account_password, name="account_password"),
    path("token/", views.account_token, name="account_token"),
    path("organizations/<int:pk>/members/", views.organization_members, name="organization_members"),
    path("organizations/<int:pk>/members/add/", views.member_add, name="member_add"),
    path("organizations/<int:pk>/members/<int:item_pk>/", views.member_update, name="member_update"),
    path("organizations/<int:pk>/members/<int:item_pk>/remove/", views.member_remove, name="member_remove"),
    path("organizations/<int:pk>/members/<int:item_pk>/password/", views.member_password_reset,
         name="member_password_reset"),
]
