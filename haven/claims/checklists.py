"""The evidence checklist each kind of legal issue starts with (services.add_issue copies it into the issue)."""
from __future__ import annotations

from django.utils.translation import gettext_noop

from haven.claims.models import LegalIssue

# The evidence each kind of issue starts with. The texts are stored in English and shown in the reader's language
# (claims/claim_detail.html translates them); each names the provisions and cases that apply to that issue only.
# Another country of nationality and Article 1E are two questions (docs/nationality-and-article-1e.md).
CHECKLISTS: dict[str, tuple[str, ...]] = {
    LegalIssue.Kind.ROK_NATIONALITY: (
        gettext_noop("Statement on any stay in, travel through or status in South Korea, and any contact with its "
                     "embassies or consulates"),
        gettext_noop("Evidence whether South Korean nationality was ever registered, recognized or used (passport, "
                     "resident registration)"),
        gettext_noop("Evidence whether the claimant is entitled to South Korean nationality as of right or may only "
                     "be able to acquire it, and whether acquiring it is within the claimant's control (Williams, "
                     "2005 FCA 126; Kim v. Canada, 2010 FC 720)"),
        gettext_noop("Country evidence on access to South Korean nationality in practice for North Koreans arriving "
                     "from a third country (RAD TB4-05778, 2016; its current standing is unverified)"),
        gettext_noop("Risk assessment against South Korea if it is a country of nationality: the claim is assessed "
                     "against each country of nationality (Refugee Convention art. 1A(2); IRPA s.96)"),
    ),
    LegalIssue.Kind.EXCLUSION_1E: (
        gettext_noop("Minister's notice of intervention stating the facts and law relied on (RPD Rules r.29(3))"),
        gettext_noop("Evidence of the claimant's status in the country of residence on the day of the hearing: "
                     "rights to return, work, study and use social services compared with its nationals (Zeng, 2010 "
                     "FCA 118)"),
        gettext_noop("If that status was lost or never acquired: why, whether the claimant could regain or obtain "
                     "it, and the risk in that country (Zeng, 2010 FCA 118)"),
        gettext_noop("Evidence of the risk of persecution or harm in the country of residence"),
    ),
    LegalIssue.Kind.CREDIBILITY: (
        gettext_noop("Consistency review of the BOC narrative, port-of-entry notes and prior applications"),
        gettext_noop("Corroborating documents or an explanation of why none can be obtained"),
    ),
    LegalIssue.Kind.IDENTITY: (
        gettext_noop("Identity documents (originals) or explanation of their absence"),
        gettext_noop("Witness statements or community attestations of identity"),
        gettext_noop("Language and knowledge evidence consistent with the claimed place of origin"),
    ),
    LegalIssue.Kind.EXCLUSION_1F: (
        gettext_noop("Minister's notice of intervention stating the facts and law relied on (RPD Rules r.29(3))"),
        gettext_noop("Chronology of roles held, with dates and duties"),
    ),
}
