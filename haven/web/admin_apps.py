"""django.contrib.admin's app, with Haven's audited site as the default (haven.web.admin_site). Kept apart
from the site so that INSTALLED_APPS can name it before the models are loaded."""
from django.contrib.admin.apps import AdminConfig


class HavenAdminConfig(AdminConfig):
    default_site = "haven.web.admin_site.HavenAdminSite"
