"""South Korean nationality (Refugee Convention art. 1A(2); IRPA s.96) is a different question from Article 1E (IRPA
s.98): separate issue kinds, grounds, checklists and nationality statuses, and the data migrations that split them."""
from __future__ import annotations

import importlib

from django.apps import apps
from django.utils import translation

from haven.claims import services
from haven.claims.models import EvidenceItem, Ground, LegalIssue
from haven.claims.tests.test_lifecycle import ClaimTestCase
from haven.people.models import Nationality

claims_split = importlib.import_module("haven.claims.migrations.0010_split_south_korean_nationality_from_article_1e")
people_split = importlib.import_module("haven.people.migrations.0005_split_claimable_nationality_status")


class IssueKindTests(ClaimTestCase):
    def texts(self, kind):
        issue = services.add_issue(actor=self.owner, claim=self.claim, kind=kind)
        return " ".join(issue.evidence.values_list("description", flat=True))

    def test_refugee_convention_1a2_nationality_checklist_cites_the_nationality_cases_only(self):
        text = self.texts(LegalIssue.Kind.ROK_NATIONALITY)
        for cited in ("Williams, 2005 FCA 126", "Kim v. Canada, 2010 FC 720", "art. 1A(2)", "IRPA s.96",
                      "entitled to South Korean nationality as of right or may only be able to acquire it"):
            self.assertIn(cited, text)
        self.assertNotIn("Zeng", text)
        self.assertNotIn("1E", text)

    def test_irpa_98_article_1e_checklist_cites_zeng_and_rule_29_3_only(self):
        text = self.texts(LegalIssue.Kind.EXCLUSION_1E)
        for cited in ("Zeng, 2010 FCA 118", "RPD Rules r.29(3)", "country of residence"):
            self.assertIn(cited, text)
        for absent in ("Williams", "Kim v. Canada", "South Korea"):
            self.assertNotIn(absent, text)

    def test_nationality_and_article_1e_are_separate_grounds(self):
        self.assertNotEqual(Ground.OTHER_NATIONALITY, Ground.ARTICLE_1E)
        self.assertIn("1A(2)", str(Ground.OTHER_NATIONALITY.label))
        self.assertIn("country of residence", str(Ground.ARTICLE_1E.label))

    def test_checklist_texts_are_translated_in_french_and_korean_with_the_official_citations(self):
        for language, citations in (("fr", ("LIPR, art. 96", "2005 CAF 126", "2010 CF 720", "2010 CAF 118",
                                            "Règles de la SPR, par. 29(3)")),
                                    ("ko", ("IRPA s.96", "2005 FCA 126", "2010 FC 720", "2010 FCA 118",
                                            "RPD Rules r.29(3)"))):
            with translation.override(language):
                shown = [translation.gettext(text) for texts in services.CHECKLISTS.values() for text in texts]
            for original, text in zip([t for texts in services.CHECKLISTS.values() for t in texts], shown):
                self.assertNotEqual(original, text, f"{language}: {original}")
            joined = " ".join(shown)
            for citation in citations:
                self.assertIn(citation, joined, language)

    def test_claim_page_shows_the_checklist_in_the_readers_language(self):
        services.add_issue(actor=self.owner, claim=self.claim, kind=LegalIssue.Kind.EXCLUSION_1E)
        self.login_as(self.owner)
        response = self.client.get(f"/claims/{self.claim.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
        self.assertEqual(response.status_code, 200)
        with translation.override("fr"):
            expected = translation.gettext(services.CHECKLISTS[LegalIssue.Kind.EXCLUSION_1E][1])
        self.assertContains(response, expected.replace("'", "&#x27;"))


class IssueSplitMigrationTests(ClaimTestCase):
    """0010: the former "South Korean nationality / Article 1E" issue becomes two issues; nothing is lost."""

    def old_issue(self):
        issue = LegalIssue.objects.create(claim=self.claim, kind="rok_nationality", status="addressed",
                                          notes="Lived in Seoul 2009-2011")
        texts = ["Statement on any stay in, travel through or status in South Korea",
                 "Evidence whether South Korean citizenship was ever registered or used (passport, resident "
                 "registration)",
                 "Country evidence on access to South Korean nationality in practice (Kim v. Canada, 2010 FC 720; "
                 "Williams, 2005 FCA 126)",
                 claims_split.ZENG_OLD,
                 "Hanawon certificate (typed by a worker)"]
        for number, text in enumerate(texts):
            EvidenceItem.objects.create(issue=issue, description=text, status="obtained" if number == 3 else "needed")
        return issue

    def test_split_moves_the_article_1e_item_with_its_status_and_round_trips(self):
        issue = self.old_issue()
        zeng = EvidenceItem.objects.get(description=claims_split.ZENG_OLD)
        claims_split.split(apps, None)
        article_1e = LegalIssue.objects.get(claim=self.claim, kind="exclusion_1e")
        zeng.refresh_from_db()
        self.assertEqual((zeng.issue_id, zeng.status, zeng.description),
                         (article_1e.pk, "obtained", claims_split.ZENG_NEW))
        issue.refresh_from_db()
        self.assertEqual((issue.kind, issue.status, issue.notes), ("rok_nationality", "addressed",
                                                                   "Lived in Seoul 2009-2011"))
        self.assertEqual(issue.evidence.count(), 4)
        self.assertTrue(issue.evidence.filter(description="Hanawon certificate (typed by a worker)").exists())
        self.assertTrue(issue.evidence.filter(description__contains="Williams, 2005 FCA 126; Kim v. Canada").exists())
        claims_split.join(apps, None)
        self.assertFalse(LegalIssue.objects.filter(kind="exclusion_1e").exists())
        zeng.refresh_from_db()
        self.assertEqual((zeng.issue_id, zeng.description), (issue.pk, claims_split.ZENG_OLD))
        self.assertEqual(issue.evidence.count(), 5)


class NationalityStatusMigrationTests(ClaimTestCase):
    def test_claimable_becomes_may_acquire_and_back(self):
        kr = Nationality.objects.create(person=self.child, country="KR", status="held", note="Checked 2025")
        Nationality.objects.filter(pk=kr.pk).update(status="claimable")
        people_split.split(apps, None)
        kr.refresh_from_db()
        self.assertEqual((kr.status, kr.note), (Nationality.Status.MAY_ACQUIRE, "Checked 2025"))
        people_split.join(apps, None)
        kr.refresh_from_db()
        self.assertEqual((kr.status, kr.note), ("claimable", "Checked 2025"))

    def test_entitled_as_of_right_and_may_acquire_are_distinct_statuses(self):
        self.assertEqual(str(Nationality.Status.ENTITLED.label), "Entitled to acquire as of right")
        self.assertEqual(str(Nationality.Status.MAY_ACQUIRE.label), "May be able to acquire")
        self.assertNotIn("claimable", Nationality.Status.values)
