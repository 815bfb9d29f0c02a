"""A page asked for in Korean does not leave the next test reading Korean (the root conftest's autouse fixture):
LocaleMiddleware activates the request's language in the thread and Django never deactivates it. Unittest runs
the two tests in name order; the second fails without the fixture."""
from django.urls import reverse
from django.utils import translation

from haven.testing.personas import PersonaTestCase


class LanguageIsolationTests(PersonaTestCase):
    def test_1_a_korean_page_leaves_korean_active_in_the_thread(self):
        self.login_as(self.owner)
        self.assertContains(self.client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="ko"), "대시보드")
        self.assertEqual(translation.get_language(), "ko")

    def test_2_the_next_test_starts_in_the_default_language(self):
        self.assertEqual(translation.get_language(), "en")
