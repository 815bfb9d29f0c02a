from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Membership, Organization, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organization", "team"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("Preferences"), {"fields": ("preferred_language",)}))
    inlines = [MembershipInline]
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_staff", "last_login")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "time_zone", "created_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "kind")
    list_filter = ("kind", "organization")
    search_fields = ("name", "organization__name")
    list_select_related = ("organization",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role", "team", "created_at")
    list_filter = ("role", "organization")
    search_fields = ("user__username", "organization__name")
    list_select_related = ("user", "organization", "team")
    autocomplete_fields = ["user", "organization", "team"]
