"""Split the former issue "South Korean nationality / Article 1E" into two issues (docs/nationality-and-article-1e.md).

Whether South Korea is another country of nationality (Refugee Convention art. 1A(2); IRPA s.96) keeps the kind
`rok_nationality`; Article 1E (status substantially similar to nationals' in a country of residence; IRPA s.98)
becomes its own kind, `exclusion_1e`. For each former issue whose checklist holds the Zeng item (the 1E test), an
Article 1E issue is added to the same claim and that item moves to it with its status and linked documents; the
issue's notes and every other item stay where they were. The standard checklist texts are replaced by the corrected
ones (each citing only what applies); a text a worker typed is left alone. Reversed, the items go back, the added
issues are removed (or, if someone added items of their own, turned back into the former kind) and the texts restored.
"""
from django.db import migrations

ROK, ARTICLE_1E = "rok_nationality", "exclusion_1e"
ZENG_OLD = "Evidence on the Zeng factors if status in South Korea was lost or never acquired (2010 FCA 118)"
# Former standard text: corrected text.
TEXTS = {
    "Statement on any stay in, travel through or status in South Korea":
        "Statement on any stay in, travel through or status in South Korea, and any contact with its embassies or "
        "consulates",
    "Evidence whether South Korean citizenship was ever registered or used (passport, resident registration)":
        "Evidence whether South Korean nationality was ever registered, recognized or used (passport, resident "
        "registration)",
    "Country evidence on access to South Korean nationality in practice (Kim v. Canada, 2010 FC 720; "
    "Williams, 2005 FCA 126)":
        "Evidence whether the claimant is entitled to South Korean nationality as of right or may only be able to "
        "acquire it, and whether acquiring it is within the claimant's control (Williams, 2005 FCA 126; Kim v. "
        "Canada, 2010 FC 720)",
    ZENG_OLD:
        "If that status was lost or never acquired: why, whether the claimant could regain or obtain it, and the "
        "risk in that country (Zeng, 2010 FCA 118)",
    "Minister's notice of intervention with the facts and law relied on":
        "Minister's notice of intervention stating the facts and law relied on (RPD Rules r.29(3))",
}
ZENG_NEW = TEXTS[ZENG_OLD]


def _retext(EvidenceItem, mapping: dict) -> None:
    for old, new in mapping.items():
        EvidenceItem.objects.filter(description=old).update(description=new)


def split(apps, schema_editor):
    LegalIssue = apps.get_model("claims", "LegalIssue")
    EvidenceItem = apps.get_model("claims", "EvidenceItem")
    for issue in LegalIssue.objects.filter(kind=ROK, evidence__description=ZENG_OLD).distinct():
        article_1e = LegalIssue.objects.create(claim_id=issue.claim_id, kind=ARTICLE_1E, status=issue.status)
        EvidenceItem.objects.filter(issue=issue, description=ZENG_OLD).update(issue=article_1e)
    _retext(EvidenceItem, TEXTS)


def join(apps, schema_editor):
    LegalIssue = apps.get_model("claims", "LegalIssue")
    EvidenceItem = apps.get_model("claims", "EvidenceItem")
    _retext(EvidenceItem, {new: old for old, new in TEXTS.items()})
    for issue in LegalIssue.objects.filter(kind=ARTICLE_1E):
        home = LegalIssue.objects.filter(claim_id=issue.claim_id, kind=ROK).order_by("pk").first()
        zeng = EvidenceItem.objects.filter(issue=issue, description=ZENG_OLD)
        if home is not None and zeng.count() == EvidenceItem.objects.filter(issue=issue).count() \
                and not (issue.notes or ""):
            zeng.update(issue=home)
            issue.delete()
        else:
            issue.kind = ROK
            issue.save(update_fields=["kind"])


class Migration(migrations.Migration):
    dependencies = [("claims", "0009_rad_bars_prra_exemption_and_nationality_grounds")]
    operations = [migrations.RunPython(split, join)]
