"""Published statistics with their provenance.

A PublishedSource is one publication (an IRB table, an IRCC open-data file, a
news article); a PublishedFigure is one number it states, kept with the
publisher's own wording (`measure_text`, `period_text`, `value_text`,
`statement`) beside the normalized keys used to compare figures. A suppressed
cell ("--") is stored as suppressed with no value, never as zero.
"""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedSource(models.Model):
    class Kind(models.TextChoices):
        IRB = "irb", _("IRB statistical table")
        IRCC = "ircc", _("IRCC open data")
        ARTICLE = "article", _("Article or report")
        SECONDARY = "secondary", _("Secondary summary")

    publisher = models.CharField(max_length=200)
    title = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ARTICLE)
    url = models.URLField(max_length=500, blank=True)
    published_on = models.DateField(null=True, blank=True)
    published_text = models.CharField(max_length=40, blank=True,
                                      help_text=_("The publication date as given, e.g. “c.2010”."))
    accessed_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["publisher", "published_text"]
        constraints = [
            models.UniqueConstraint(fields=["publisher", "title", "published_text"], name="published_source_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.publisher} ({self.published_text or '?'})"


class RateDefinition(models.TextChoices):
    """The three rates of claim outcomes, never conflated (docs/statistics.md). The values are the measure keys and
    Haven's column keys, so a published rate is compared only with Haven's rate of the same definition."""

    ACCEPTANCE = "acceptance_rate", _("Acceptance rate: accepted / finalized")
    EXCLUDING_ABANDONED_WITHDRAWN = "rate_excluding_abandoned_withdrawn", _(
        "Acceptance rate leaving out abandoned and withdrawn claims: accepted / (finalized − abandoned − withdrawn "
        "and other)")
    RECOGNITION = "recognition_rate", _("Recognition rate: accepted / (accepted + rejected)")


class Reliability(models.TextChoices):
    VALID = "valid", _("As published")
    RETRACTED = "retracted", _("Retracted")
    ERRONEOUS = "erroneous", _("Erroneous")


class PublishedFigure(models.Model):
    class Qualifier(models.TextChoices):
        EXACT = "exact", _("exactly")
        APPROX = "approx", _("about")
        MORE_THAN = "more_than", _("more than")
        LESS_THAN = "less_than", _("fewer than")
        RANGE = "range", _("between")
        TEXT = "text", _("not a number")
        SUPPRESSED = "suppressed", _("suppressed")

    source = models.ForeignKey(PublishedSource, on_delete=models.CASCADE, related_name="figures")
    subject = models.CharField(max_length=200)
    country = models.CharField(max_length=2, blank=True, help_text=_("ISO alpha-2 country the figure is about."))
    period_text = models.CharField(max_length=60)
    period_key = models.CharField(max_length=40, db_index=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    measure_text = models.CharField(max_length=200)
    measure = models.CharField(max_length=60, db_index=True)
    value_text = models.CharField(max_length=100, blank=True)
    qualifier = models.CharField(max_length=12, choices=Qualifier.choices, default=Qualifier.EXACT)
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    value_low = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    value_high = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    unit = models.CharField(max_length=30)
    suppressed = models.BooleanField(default=False)
    rounded_to = models.PositiveSmallIntegerField(null=True, blank=True,
                                                  help_text=_("The publisher rounds counts to this multiple."))
    statement = models.TextField(blank=True)
    rate_definition = models.CharField(
        max_length=40, choices=RateDefinition.choices, blank=True, default="",
        help_text=_("For a rate: which of the three rates its source means."))
    reliability = models.CharField(max_length=10, choices=Reliability.choices, default=Reliability.VALID)
    reliability_source = models.CharField(
        max_length=300, blank=True, default="",
        help_text=_("Who retracted the figure or showed it wrong, and where (required unless the figure is valid)."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period_key", "measure", "source__publisher"]
        indexes = [models.Index(fields=["country", "measure", "period_key"], name="published_fig_lookup")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(suppressed=True) | models.Q(value__isnull=True, value_low__isnull=True),
                name="published_fig_suppressed_has_no_value"),
            models.CheckConstraint(
                condition=models.Q(value_low__isnull=True) | models.Q(value_high__isnull=True)
                | models.Q(value_low__lte=models.F("value_high")),
                name="published_fig_range_ordered"),
            models.CheckConstraint(condition=models.Q(reliability="valid") | ~models.Q(reliability_source=""),
                                   name="published_fig_unreliable_has_source"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.period_text} · {self.measure_text}: {self.display_value}"

    @property
    def is_valid(self) -> bool:
        return self.reliability == Reliability.VALID

    @property
    def display_value(self) -> str:
        if self.suppressed:
            return "--"
        return self.value_text
