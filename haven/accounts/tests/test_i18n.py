"""French and Korean screens: compiled catalogues are shipped and used."""
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from haven.testing.personas import PersonaTestCase


class TranslationTests(PersonaTestCase):
    def get_in(self, language, url):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return self.client.get(url)

    def test_login_page_in_french_and_korean(self):
        response = self.get_in("fr", reverse("login"))
        self.assertContains(response, '<html lang="fr"')
        self.assertContains(response, "Connexion à Haven")
        self.assertContains(response, "Aller au contenu principal")
        response = self.get_in("ko", reverse("login"))
        self.assertContains(response, '<html lang="ko"')
        self.assertContains(response, "Haven 로그인")
        self.assertContains(response, "본문으로 건너뛰기")

    def test_account_page_and_navigation_in_korean(self):
        self.login_as(self.owner)
        response = self.get_in("ko", reverse("account"))
        self.assertContains(response, "내 계정")
        self.assertContains(response, "로그아웃")
        self.assertContains(response, "2단계 인증")
        self.assertContains(response, "사례관리자")  # the role name, from the model choices

    def test_language_switcher_posts_to_set_language(self):
        response = self.client.post(reverse("set_language"), {"language": "fr", "next": reverse("login")})
        self.assertRedirects(response, reverse("login"), fetch_redirect_response=False)
        self.assertContains(self.client.get(reverse("login")), "Se connecter")

    def test_plural_forms(self):
        with translation.override("fr"):
            self.assertEqual(translation.ngettext("You can try again in %(minutes)s minute.",
                                                  "You can try again in %(minutes)s minutes.", 2) % {"minutes": 2},
                             "Vous pourrez réessayer dans 2 minutes.")
        with translation.override("ko"):
            self.assertEqual(translation.gettext("Page %(number)s of %(total)s") % {"number": 1, "total": 3},
                             "3페이지 중 1페이지")
