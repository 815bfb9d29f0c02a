"""Security settings and headers, password hashing, error pages, and `check --deploy` in production."""
import os
import re
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.test import SimpleTestCase
from django.urls import reverse

from haven.testing.personas import PASSWORD, PersonaTestCase

ROOT = Path(settings.BASE_DIR)


class SessionSettingsTests(SimpleTestCase):
    def test_sessions_expire_when_idle_and_on_browser_close(self):
        self.assertEqual(settings.SESSION_COOKIE_AGE, int(os.environ.get("HAVEN_SESSION_IDLE_SECONDS", "1800")))
        self.assertLessEqual(settings.SESSION_COOKIE_AGE, 60 * 60)
        self.assertIn("haven.accounts.middleware.IdleSessionRefreshMiddleware", settings.MIDDLEWARE)
        self.assertTrue(settings.SESSION_EXPIRE_AT_BROWSER_CLOSE)
        self.assertTrue(settings.SESSION_COOKIE_HTTPONLY)
        self.assertEqual(settings.SESSION_COOKIE_SAMESITE, "Lax")

    def test_passwords_are_hashed_with_argon2(self):
        from haven import settings as production_settings  # the suite swaps in a cheaper Argon2 (conftest.py)

        self.assertEqual(production_settings.PASSWORD_HASHERS[0], "django.contrib.auth.hashers.Argon2PasswordHasher")


class SessionBehaviourTests(PersonaTestCase):
    def test_session_cookie_is_a_browser_session_cookie_renewed_on_activity(self):
        response = self.client.post(reverse("login"), {"username": self.owner.username, "password": PASSWORD})
        cookie = response.cookies[settings.SESSION_COOKIE_NAME]
        self.assertEqual(cookie["max-age"], "")  # no persistent cookie: gone when the browser closes
        self.assertTrue(cookie["httponly"])
        self.assertEqual(self.client.session.get_expiry_age(), settings.SESSION_COOKIE_AGE)
        # Within a minute of the last refresh a page view does not rewrite the session...
        response = self.client.get(reverse("account"))
        self.assertNotIn(settings.SESSION_COOKIE_NAME, response.cookies)
        # ...after a minute of idleness it does, pushing the idle expiry forward.
        session = self.client.session
        session["haven_refreshed_at"] -= 61
        session.save()
        response = self.client.get(reverse("account"))
        self.assertIn(settings.SESSION_COOKIE_NAME, response.cookies)

    def test_stored_password_is_argon2(self):
        self.owner.refresh_from_db()
        self.assertTrue(self.owner.password.startswith("argon2$argon2id$"))
        self.assertTrue(self.owner.check_password(PASSWORD))


class SecurityHeaderTests(PersonaTestCase):
    def assert_security_headers(self, response):
        csp = response["Content-Security-Policy"]
        self.assertIn("script-src 'self';", csp)
        self.assertIn("style-src 'self';", csp)
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        self.assertEqual(response["Cross-Origin-Opener-Policy"], "same-origin")

    def test_headers_on_public_and_private_pages(self):
        self.assert_security_headers(self.client.get(reverse("login")))
        self.login_as(self.owner)
        response = self.client.get(reverse("account"))
        self.assert_security_headers(response)
        self.assertEqual(response["Cache-Control"], "no-store")

    def test_pages_have_no_inline_script_or_style(self):
        """The CSP forbids inline code: our templates must not contain any."""
        pages = [self.client.get(reverse("login")).content.decode()]
        self.login_as(self.admin)
        pages.append(self.client.get(reverse("account")).content.decode())
        self.client.post(reverse("account_token"), {"action": "issue"})
        self.login_as(self.owner)
        pages.append(self.client.get(reverse("two_factor")).content.decode())  # enrolment page with QR code
        for html in pages:
            self.assertNotRegex(html, r"<script(?![^>]*\bsrc=)[^>]*>")
            self.assertNotIn("<style", html)
            self.assertNotRegex(html, r"\sstyle=")
            self.assertNotRegex(html, r"\son[a-z]+=")
            self.assertNotRegex(html, r"\shx-on")
            self.assertIn('src="/static/vendor/htmx.min.js"', html)

    def test_vendored_htmx_and_stylesheet_are_served_from_our_origin(self):
        htmx = finders.find("vendor/htmx.min.js")
        self.assertIsNotNone(htmx)
        first_line = Path(htmx).read_text(encoding="utf-8").splitlines()[0]
        self.assertRegex(first_line, r"htmx 2\.\d+\.\d+.*0BSD")
        self.assertIsNotNone(finders.find("css/haven.css"))


class ErrorPageTests(PersonaTestCase):
    def test_404_uses_the_layout_and_is_translated(self):
        self.login_as(self.owner)
        response = self.client.get("/no/such/page/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Page not found", status_code=404)
        self.assertContains(response, 'id="main"', status_code=404)

    def test_500_renders_without_a_request(self):
        html = render_to_string("500.html")
        self.assertIn("Something went wrong", html)
        self.assertIn('<html lang="en"', html)

    def test_403_page(self):
        html = render_to_string("403.html")
        self.assertIn("You are not allowed to do this", html)

    def test_csrf_failure_page(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("login"), {"username": "x", "password": "y"})
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "This form has expired", status_code=403)


class DeployCheckTests(SimpleTestCase):
    def test_check_deploy_passes_with_production_environment(self):
        env = {
            **os.environ,
            "HAVEN_ENV": "production",
            "HAVEN_SECRET_KEY": Fernet.generate_key().decode() + Fernet.generate_key().decode(),
            "HAVEN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "HAVEN_AUDIT_KEYS": Fernet.generate_key().decode(),  # any 32+ characters (haven.audit.keys)
            "HAVEN_ALLOWED_HOSTS": "haven.example.org",
            "DJANGO_SETTINGS_MODULE": "haven.settings",
        }
        env.pop("HAVEN_DEBUG", None)
        result = subprocess.run(
            [sys.executable, "-m", "haven", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("System check identified no issues", result.stdout)
        self.assertIsNone(re.search(r"security\.W\d+", result.stdout + result.stderr))


class NavigationTests(PersonaTestCase):
    def nav(self, user):
        self.login_as(user)
        html = self.client.get(reverse("account")).content.decode()
        return html[html.index('<nav class="main-nav"'):html.index("</nav>")]

    def test_staff_navigation(self):
        nav = self.nav(self.owner)
        for name in ("dashboard", "case_list", "deadlines", "stats_outcomes"):
            self.assertIn(f'href="{reverse(name)}"', nav, name)

    def test_analyst_sees_no_case_links(self):
        nav = self.nav(self.analyst)
        self.assertNotIn(f'href="{reverse("case_list")}"', nav)
        self.assertNotIn(f'href="{reverse("deadlines")}"', nav)
        self.assertIn(f'href="{reverse("stats_outcomes")}"', nav)

    def test_volunteer_has_no_statistics_link(self):
        nav = self.nav(self.volunteer)
        self.assertIn(f'href="{reverse("case_list")}"', nav)
        self.assertNotIn(f'href="{reverse("stats_outcomes")}"', nav)

    def test_current_page_is_marked(self):
        self.login_as(self.owner)
        html = self.client.get(reverse("case_list")).content.decode()
        self.assertIn(f'<a href="{reverse("case_list")}" aria-current="page">', html)

    def test_anonymous_pages_have_no_navigation_or_user_menu(self):
        html = self.client.get(reverse("login")).content.decode()
        self.assertNotIn('class="main-nav"', html)
        self.assertNotIn('class="user-menu"', html)
        self.assertIn('class="language-switcher"', html)
