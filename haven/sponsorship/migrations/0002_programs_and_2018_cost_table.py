"""Rules as data: the three sponsorship programs (who pays what, for how long) and the first version of IRCC's
sponsorship cost table (updated 1 May 2018, via rstp.ca/en/infosheet/sponsorship-cost-table-2). A newer table is
added by an administrator as a new version; plans keep the version they used."""
import datetime as dt
from decimal import Decimal

from django.db import migrations

PROGRAMS = (
    # code, sponsor income months, government income months, longest period, sponsor pays start-up, text, citation
    ("PSR", 12, 0, 36, True,
     "The sponsor provides 12 months of income support (or until self-sufficiency) and start-up costs; an "
     "officer may require up to 36 months.",
     "IRPR 154(2)-(3); refugeesponsorship.org"),
    ("JAS", 0, 24, 36, False,
     "Joint support with the government for up to 24 months; the private part may last up to 36 months. "
     "Sponsorship Agreement Holders and constituent groups only.",
     "canada.ca JAS; rstp.ca JAS FAQ"),
    ("BVOR", 6, 6, 12, True,
     "UNHCR-referred: the government pays 6 months of RAP income support, the sponsor the other 6 months and "
     "the start-up costs.",
     "IRCC help centre Q770"),
)

TABLE_2018 = ((1, "13200", "3300"), (2, "19700", "5100"), (3, "20400", "6300"), (4, "21200", "7500"),
              (5, "23700", "8600"), (6, "25700", "9800"))


def seed(apps, schema_editor):
    Program = apps.get_model("sponsorship", "Program")
    CostTable = apps.get_model("sponsorship", "CostTable")
    CostTableRow = apps.get_model("sponsorship", "CostTableRow")
    for code, sponsor, government, longest, start_up, text, citation in PROGRAMS:
        Program.objects.update_or_create(code=code, defaults={
            "sponsor_income_months": sponsor, "government_income_months": government, "max_months": longest,
            "sponsor_pays_start_up": start_up, "description": text, "citation": citation})
    table, created = CostTable.objects.get_or_create(effective_from=dt.date(2018, 5, 1), defaults={
        "source": "IRCC sponsorship cost table, updated 1 May 2018 (rstp.ca/en/infosheet/sponsorship-cost-table-2)",
        "extra_person_income_support": Decimal("1600"), "extra_person_start_up": Decimal("1100")})
    if created:
        CostTableRow.objects.bulk_create([CostTableRow(table=table, family_size=size, income_support=Decimal(income),
                                                       start_up=Decimal(start)) for size, income, start in TABLE_2018])


class Migration(migrations.Migration):
    dependencies = [("sponsorship", "0001_sponsors_programs_applications_plans")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
