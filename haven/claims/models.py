"""In-land refugee protection claims, their proceedings (events), legal issues and deadlines.

A claim belongs to a case, which is the unit of access (haven.cases.access): a
claim is reached only through its case. Everything that happens to a claim is a
ClaimEvent; the claim's summary fields (referred_on, outcome, outcome_on, stage)
and its Deadline rows are derived from the events by haven.claims.services.

Deadline periods are data (DeadlineRule), seeded by a data migration with their
legal citations and editable by administrators in the Django admin.
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.claims.triggers import ALL_TRIGGERS
from haven.crypto.fields import EncryptedTextField
from haven.people.codes import validate_country
from haven.records import Versioned


class Province(models.TextChoices):
    """Provinces and territories (ISO 3166-2:CA subdivision codes, as the `holidays` package uses)."""

    AB = "AB", _("Alberta")
    BC = "BC", _("British Columbia")
    MB = "MB", _("Manitoba")
    NB = "NB", _("New Brunswick")
    NL = "NL", _("Newfoundland and Labrador")
    NS = "NS", _("Nova Scotia")
    NT = "NT", _("Northwest Territories")
    NU = "NU", _("Nunavut")
    ON = "ON", _("Ontario")
    PE = "PE", _("Prince Edward Island")
    QC = "QC", _("Quebec")
    SK = "SK", _("Saskatchewan")
    YT = "YT", _("Yukon")


class IntakeRoute(models.TextChoices):
    """Where the claim was made: the route decides who receives the Basis of Claim form (IRPR s.159.8)."""

    PORT_OF_ENTRY = "port_of_entry", _("At a port of entry")
    INLAND = "inland", _("Inland, at an IRCC office or online")


class USLandCrossing(models.TextChoices):
    """How the claimant crossed from the United States by land, if they did (the fourteen-day rule)."""

    NONE = "", _("Did not cross from the United States by land")
    AT_PORT = "at_port", _("Crossed from the United States by land at a port of entry")
    BETWEEN_PORTS = "between_ports", _("Crossed from the United States by land between ports of entry")


class Outcome(models.TextChoices):
    """The claim's current determination (empty while pending), in the IRB RPD table's terms."""

    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    NO_CREDIBLE_BASIS = "no_credible_basis", _("Rejected: no credible basis")
    MANIFESTLY_UNFOUNDED = "manifestly_unfounded", _("Rejected: manifestly unfounded")
    ABANDONED = "abandoned", _("Abandoned")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    OTHER = "other", _("Other")


class Claim(Versioned):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="claims")
    reference = models.CharField(max_length=40, unique=True,
                                 help_text=_("The claim's reference, e.g. the IRB file number or an internal one."))
    claimant = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="claims")
    members = models.ManyToManyField("people.Person", blank=True, related_name="joined_claims",
                                     help_text=_("Family members whose claims are joined to this one."))
    country_of_persecution = models.CharField(max_length=2, validators=[validate_country],
                                              help_text=_("ISO 3166-1 alpha-2 code of the country alleged."))
    province = models.CharField(max_length=2, choices=Province.choices, default=Province.ON,
                                help_text=_("Province of the IRB regional office; its holidays extend deadlines."))
    referred_on = models.DateField(null=True, blank=True)
    # How the claim was made (IRPR s.159.8; IRPA s.101 as amended by S.C. 2026, c. 4). Claims recorded before
    # these fields existed are port-of-entry claims, as the deadline engine always assumed.
    # db_default too (as for every column added here): rows written by bulk loaders that name the columns they know
    # (bench/stats_bench.py, other importers) get the same values.
    intake_route = models.CharField(max_length=16, choices=IntakeRoute.choices, default=IntakeRoute.PORT_OF_ENTRY,
                                    db_default=IntakeRoute.PORT_OF_ENTRY,
                                    help_text=_("A port-of-entry claimant files the Basis of Claim form with the "
                                                "RPD; an inland claimant gives it to the officer."))
    entered_canada_on = models.DateField(null=True, blank=True,
                                         help_text=_("The first entry after 24 June 2020 if there were several."))
    us_land_crossing = models.CharField(max_length=16, choices=USLandCrossing.choices, blank=True, default="",
                                        db_default="")
    claim_made_on = models.DateField(null=True, blank=True, help_text=_("The day the claim for refugee protection "
                                                                        "was made."))
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True, default="")
    outcome_on = models.DateField(null=True, blank=True)
    # Facts about the claim that take away the appeal to the RAD (IRPA s.110(2)(a) and (d)): the RPD's decision
    # then goes straight to the Federal Court, and the removal order comes into force 15 days after its notice.
    designated_foreign_national = models.BooleanField(
        default=False, db_default=False,
        help_text=_("The claimant is a designated foreign national (IRPA s.20.1): no appeal to the RAD (IRPA "
                    "s.110(2)(a))."))
    stca_exception = models.BooleanField(
        default=False, db_default=False,
        help_text=_("The claimant came directly or indirectly from the United States and the claim was eligible only "
                    "by virtue of the Regulations' exceptions to the Safe Third Country Agreement (IRPR "
                    "ss.159.2-159.6): no appeal to the RAD (IRPA s.110(2)(d))."))
    stage = models.CharField(max_length=40, blank=True, default="", editable=False,
                             help_text=_("The latest proceeding, derived from the events."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-referred_on", "-pk"]
        indexes = [
            # The outcome table (haven.stats) reads these two as covering indexes in (country, date) order:
            # SQLite then groups by date without sorting or touching the claims, and checks the scope by case.
            models.Index(fields=["country_of_persecution", "referred_on", "case"], name="claim_country_referred_case"),
            models.Index(fields=["country_of_persecution", "outcome", "outcome_on", "case"],
                         name="claim_country_outcome_case"),
            models.Index(fields=["outcome", "outcome_on"], name="claim_outcome_on"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(outcome="") | models.Q(outcome_on__isnull=False),
                                   name="claim_outcome_has_date"),
        ]

    def __str__(self) -> str:
        return self.reference


class JoinedClaimant(Versioned):
    """One person's claim in a claim file. The RPD joins the claims of family members (RPD Rules r.55(1)) but each
    claim is still decided for its own claimant, so each person has an outcome, a decision date and the date the
    reasons were received.

    The principal claimant's row (`is_principal`) mirrors the claim: Claim.outcome keeps meaning the principal's
    outcome, derived from the claim's steps, so the deadline code is unchanged. A joined member's row follows the
    claim's decision (refreshed with it) until a decision of their own is recorded (`own_decision`), from then on
    it keeps that decision. `Claim.claimant` and `Claim.members` remain the list of people in the file; the
    services keep these rows in step with it."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="claimants")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="claimant_records")
    is_principal = models.BooleanField(default=False)
    own_decision = models.BooleanField(
        default=False, help_text=_("Set when this person's own decision was recorded; otherwise the outcome follows "
                                   "the claim's decision."))
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True, default="")
    outcome_on = models.DateField(null=True, blank=True)
    reasons_received_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_principal", "pk"]
        # Every claim has its principal's row; the statistics read only the members' (few) rows through this.
        indexes = [models.Index(fields=["claim"], condition=models.Q(is_principal=False),
                                name="joined_claimant_members")]
        constraints = [
            models.UniqueConstraint(fields=["claim", "person"], name="joined_claimant_once_per_claim"),
            models.UniqueConstraint(fields=["claim"], condition=models.Q(is_principal=True),
                                    name="joined_claimant_one_principal"),
            models.CheckConstraint(condition=models.Q(outcome="") | models.Q(outcome_on__isnull=False),
                                   name="joined_claimant_outcome_has_date"),
            models.CheckConstraint(condition=models.Q(is_principal=False) | models.Q(own_decision=False),
                                   name="joined_claimant_principal_follows_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}/{self.person_id}"


class EventType(models.TextChoices):
    ELIGIBLE = "eligible", _("Claim found eligible (IRPA s.100)")
    INELIGIBLE = "ineligible", _("Claim found ineligible (IRPA s.101)")
    REFERRAL = "referral", _("Referred to the RPD")
    BOC_FILED = "boc_filed", _("Basis of Claim form filed")
    HEARING_SCHEDULED = "hearing_scheduled", _("Hearing scheduled")
    HEARING_POSTPONED = "hearing_postponed", _("Hearing postponed")
    HEARING_HELD = "hearing_held", _("Hearing held")
    MINISTER_INTERVENTION = "minister_intervention", _("Minister's notice of intervention")
    DECISION_ACCEPTED = "decision_accepted", _("RPD decision: accepted")
    DECISION_REJECTED = "decision_rejected", _("RPD decision: rejected")
    DECISION_NCB = "decision_ncb", _("RPD decision: rejected, no credible basis")
    DECISION_MU = "decision_mu", _("RPD decision: rejected, manifestly unfounded")
    ABANDONMENT = "abandonment", _("Claim declared abandoned")
    WITHDRAWAL = "withdrawal", _("Claim withdrawn")
    OTHER_DISPOSITION = "other_disposition", _("Claim finalized otherwise (e.g. terminated, found ineligible)")
    REINSTATEMENT = "reinstatement", _("Withdrawn claim reinstated")
    REOPENING = "reopening", _("Claim reopened")
    RAD_APPEAL_FILED = "rad_appeal_filed", _("RAD notice of appeal filed")
    RAD_RECORD_FILED = "rad_record_filed", _("RAD appellant's record filed")
    RAD_PERFECTED = "rad_perfected", _("RAD appeal perfected")
    RAD_CONFIRMED = "rad_confirmed", _("RAD decision: RPD decision confirmed")
    RAD_SET_ASIDE = "rad_set_aside", _("RAD decision: set aside and substituted")
    RAD_REFERRED_BACK = "rad_referred_back", _("RAD decision: referred back to the RPD")
    FC_LEAVE_FILED = "fc_leave_filed", _("Federal Court leave application filed")
    FC_RECORD_FILED = "fc_record_filed", _("Federal Court applicant's record filed")
    FC_LEAVE_GRANTED = "fc_leave_granted", _("Federal Court leave granted")
    FC_LEAVE_REFUSED = "fc_leave_refused", _("Federal Court leave refused")
    JR_ALLOWED = "jr_allowed", _("Judicial review allowed")
    JR_DISMISSED = "jr_dismissed", _("Judicial review dismissed")
    PRRA_NOTIFICATION = "prra_notification", _("PRRA notification received")
    PRRA_APPLIED = "prra_applied", _("PRRA application filed")
    PRRA_SUBMISSIONS_FILED = "prra_submissions_filed", _("PRRA submissions filed")
    PRRA_ACCEPTED = "prra_accepted", _("PRRA decision: accepted")
    PRRA_REFUSED = "prra_refused", _("PRRA decision: refused")
    REMOVAL_ORDER = "removal_order", _("Removal order in force")
    REMOVAL = "removal", _("Removed from Canada")
    VACATION = "vacation", _("Protection vacated (IRPA s.109)")
    CESSATION = "cessation", _("Protection ceased (IRPA s.108)")


class Ground(models.TextChoices):
    """The ground of a decision or of the Minister's intervention. Another country of nationality and Article 1E are
    different questions with different consequences (docs/nationality-and-article-1e.md)."""

    OTHER_NATIONALITY = "other_nationality", _(
        "Another country of nationality (Refugee Convention art. 1A(2); IRPA s.96)")
    ARTICLE_1E = "article_1e", _(
        "Exclusion: Article 1E (status substantially similar to nationals' in a country of residence; IRPA s.98)")
    ARTICLE_1F = "article_1f", _("Exclusion: Article 1F")
    CREDIBILITY = "credibility", _("Credibility or program integrity")
    IDENTITY = "identity", _("Identity")
    MISREPRESENTATION = "misrepresentation", _("Misrepresentation")
    OTHER = "other", _("Other")


class Ineligibility(models.TextChoices):
    """The paragraph of IRPA s.101(1) on which a claim was found ineligible to be referred to the RPD."""

    PROTECTED = "a", _("s.101(1)(a): refugee protection already conferred under the Act")
    REJECTED_BEFORE = "b", _("s.101(1)(b): a previous claim was rejected by the Board")
    PRIOR_CLAIM = "c", _("s.101(1)(c): a previous claim was ineligible, withdrawn or abandoned")
    CLAIM_ABROAD = "c.1", _("s.101(1)(c.1): a claim made in a country with an information-sharing agreement")
    REFUGEE_ELSEWHERE = "d", _("s.101(1)(d): a Convention refugee in a country to which they can be returned")
    SAFE_THIRD_COUNTRY = "e", _("s.101(1)(e): came directly from a designated country (Safe Third Country "
                                "Agreement)")
    INADMISSIBLE = "f", _("s.101(1)(f): inadmissible for security, human rights violations or serious or "
                          "organized criminality")
    ONE_YEAR = "one_year", _("s.101(1)(b.1): claim made more than one year after entry (S.C. 2026, c. 4)")
    FOURTEEN_DAYS = "fourteen_days", _("s.101(1)(b.2): claim made 14 days or more after crossing from the United "
                                       "States between ports of entry (S.C. 2026, c. 4)")


class Party(models.TextChoices):
    CLAIMANT = "claimant", _("Claimant")
    MINISTER = "minister", _("Minister")


class OrderKind(models.TextChoices):
    DEPARTURE = "departure", _("Departure order")
    EXCLUSION = "exclusion", _("Exclusion order")
    DEPORTATION = "deportation", _("Deportation order")


class ClaimEvent(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    # A joined member's own later proceeding (their appeal, leave application, PRRA...), checked against their own
    # decision (haven.claims.members); null: a step of the claim, the principal claimant's. RESTRICT: a member's
    # record with steps cannot be deleted on its own (it still goes with its claim).
    claimant = models.ForeignKey(JoinedClaimant, null=True, blank=True, on_delete=models.RESTRICT,
                                 related_name="events",
                                 help_text=_("The joined member whose own step this is; empty: the claim's step."))
    type = models.CharField(max_length=30, choices=EventType.choices)
    occurred_on = models.DateField(help_text=_("The date of the step (a decision: the date it was made)."))
    received_on = models.DateField(null=True, blank=True,
                                   help_text=_("Decisions: date the written reasons or notice were received."))
    scheduled_for = models.DateField(null=True, blank=True, help_text=_("Hearings: the date of the hearing."))
    appellant = models.CharField(max_length=10, choices=Party.choices, blank=True, default="")
    ground = models.CharField(max_length=20, choices=Ground.choices, blank=True, default="")
    bar_exempt = models.BooleanField(
        default=False, db_default=False,
        help_text=_("PRRA application: the Minister has exempted the applicant's country from the 12-month bar (IRPA "
                    "s.112(2.1))."))
    substituted_outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True, default="",
                                           help_text=_("RAD set aside: the decision substituted."))
    order_kind = models.CharField(max_length=12, choices=OrderKind.choices, blank=True, default="")
    ineligibility = models.CharField(max_length=16, choices=Ineligibility.choices, blank=True, default="",
                                     db_default="", help_text=_("Ineligibility: the paragraph of IRPA s.101(1) relied on."))
    destination_country = models.CharField(max_length=2, blank=True, default="", validators=[validate_country])
    destination_confirmed = models.BooleanField(
        default=False, help_text=_("Set when a removal destination matching no nationality was confirmed."))
    note = EncryptedTextField(blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["occurred_on", "pk"]
        indexes = [models.Index(fields=["claim", "occurred_on"], name="claimevent_claim_date")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.occurred_on})"


class DeadlineRule(Versioned):
    """One version of a deadline rule. Several versions of a key may exist with
    non-overlapping effective windows; the one in force on the trigger date applies."""

    class Unit(models.TextChoices):
        CALENDAR_DAYS = "calendar_days", _("Calendar days")
        WORKING_DAYS = "working_days", _("Working days")
        MONTHS = "months", _("Months")

    class Direction(models.TextChoices):
        AFTER = "after", _("After the trigger")
        BEFORE = "before", _("Before the trigger")

    class Rollover(models.TextChoices):
        FORWARD = "forward", _("A holiday moves it to the next day that is not a holiday")
        BACKWARD = "backward", _("A holiday moves it to the previous day that is not a holiday")
        NONE = "none", _("No roll-over")

    class Responsible(models.TextChoices):
        CLAIMANT = "claimant", _("Claimant or counsel")
        MINISTER = "minister", _("Minister")
        BOARD = "board", _("Board or court")
        INFORMATION = "information", _("For information")

    key = models.SlugField(max_length=50)
    label = models.CharField(max_length=200)
    trigger = models.SlugField(
        max_length=50, help_text=_("The event that starts the period, or the key of another rule whose due date does."))
    period = models.PositiveIntegerField()
    unit = models.CharField(max_length=16, choices=Unit.choices, default=Unit.CALENDAR_DAYS)
    direction = models.CharField(max_length=8, choices=Direction.choices, default=Direction.AFTER)
    rollover = models.CharField(max_length=10, choices=Rollover.choices, default=Rollover.FORWARD)
    route = models.CharField(
        max_length=16, choices=IntakeRoute.choices, blank=True, default="", db_default="",
        help_text=_("Only for claims made by this route (empty: every claim), e.g. the BOC deadline of IRPR "
                    "s.159.8(2) runs only for port-of-entry claims."))
    skip_fc_recess = models.BooleanField(
        default=False, help_text=_("Do not count 21 December to 7 January (Federal Courts Rules r.6(3))."))
    effective_from = models.DateField(null=True, blank=True, help_text=_("Applies to triggers on or after this date."))
    effective_to = models.DateField(null=True, blank=True, help_text=_("Applies to triggers on or before this date."))
    citation = models.CharField(max_length=300)
    source_url = models.URLField(blank=True)
    note = models.TextField(blank=True)
    responsible = models.CharField(max_length=12, choices=Responsible.choices, default=Responsible.CLAIMANT)
    completed_by = models.JSONField(default=list, blank=True,
                                    help_text=_("Event types that meet this deadline (a JSON list)."))
    closed_by = models.JSONField(
        default=list, blank=True, help_text=_("Event types that end the window without meeting the deadline, e.g. "
                                              "the hearing for the Minister's notice of intervention (a JSON list)."))
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key", "effective_from"]
        indexes = [models.Index(fields=["trigger"], name="deadlinerule_trigger")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_from__isnull=True) | models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="deadlinerule_window_ordered"),
        ]

    def __str__(self) -> str:
        window = ""
        if self.effective_from or self.effective_to:
            window = f" [{self.effective_from or '…'} – {self.effective_to or '…'}]"
        return f"{self.key}{window}"

    def clean(self) -> None:
        if self.trigger not in ALL_TRIGGERS:
            keys = set(DeadlineRule.objects.exclude(key=self.key).values_list("key", flat=True))
            if self.trigger not in keys:
                raise ValidationError({"trigger": _("“%(value)s” is neither a known event nor another rule's key.")
                                       % {"value": self.trigger}})
        valid_types = set(EventType.values)
        for name in ("completed_by", "closed_by"):
            value = getattr(self, name)
            unknown = [t for t in (value or []) if t not in valid_types]
            if not isinstance(value, list) or unknown:
                raise ValidationError({name: _("Give a list of event types; unknown: %(u)s")
                                       % {"u": ", ".join(map(str, unknown))}})
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": _("The window ends before it starts.")})
        for other in DeadlineRule.objects.filter(key=self.key, active=True).exclude(pk=self.pk):
            if not self.active:
                break
            starts_before_other_ends = other.effective_to is None or self.effective_from is None \
                or self.effective_from <= other.effective_to
            ends_after_other_starts = other.effective_from is None or self.effective_to is None \
                or self.effective_to >= other.effective_from
            if starts_before_other_ends and ends_after_other_starts:
                raise ValidationError(_("The effective window overlaps another version of “%(key)s” (%(other)s).")
                                      % {"key": self.key, "other": other})


# Deadlines still open, or met after their due date (they stay on the late list, shown as met late).
OPEN_OR_LATE = models.Q(completed_on__isnull=True) | models.Q(completed_on__gt=models.F("due_on"))


class Deadline(models.Model):
    """A computed deadline of one claim. Rows are rewritten by services.recompute_*; never edit them by hand."""

    # No single-column indexes on claim, key or trigger: the unique (claim, key) index serves lookups by claim,
    # nothing looks deadlines up by key or trigger alone, and each index costs every recompute that rewrites rows.
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="deadlines", db_index=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(DeadlineRule, on_delete=models.PROTECT, related_name="deadlines")
    key = models.SlugField(max_length=50, db_index=False)
    trigger = models.SlugField(max_length=50, db_index=False)
    trigger_on = models.DateField()
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    event = models.ForeignKey(ClaimEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Closed by one of the rule's closed_by steps, not met; completed_on is then no later than due_on, so a lapsed
    # deadline is neither open nor on the late list.
    lapsed = models.BooleanField(default=False, db_default=False)
    # A joined member's deadline, started by their own decision or steps (haven.claims.members); null: the claim's
    # (the principal claimant's). No index of its own: the (claim, claimant, key) unique index serves it.
    claimant = models.ForeignKey(JoinedClaimant, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="deadlines", db_index=False)

    class Meta:
        ordering = ["due_on", "pk"]
        # Once per claim and rule for the claim's own deadlines (null claimant: a plain unique index would let
        # nulls repeat), once per member and rule for a member's.
        constraints = [
            models.UniqueConstraint(fields=["claim", "key"], condition=models.Q(claimant__isnull=True),
                                    name="deadline_once_per_claim_rule"),
            models.UniqueConstraint(fields=["claim", "claimant", "key"], condition=models.Q(claimant__isnull=False),
                                    name="deadline_once_per_member_rule"),
        ]
        indexes = [
            # The deadlines page: open deadlines (and those met late, which stay on the late list) of a few thousand
            # visible cases in a date window. Partial and covering (id, rule) so the id pass can be an index-only
            # scan; a query for open deadlines only (completed_on IS NULL) implies the condition and uses it too.
            models.Index(fields=["case", "due_on"], include=["id", "rule"], condition=OPEN_OR_LATE,
                         name="deadline_open_case_due"),
            models.Index(fields=["completed_on", "due_on"], name="deadline_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.due_on}"


class LegalIssue(models.Model):
    class Kind(models.TextChoices):
        # Two different questions (docs/nationality-and-article-1e.md): is South Korea also a country of nationality
        # against which the claim is assessed, and is the claimant excluded by a status in a country of residence.
        ROK_NATIONALITY = "rok_nationality", _(
            "South Korea as another country of nationality (Refugee Convention art. 1A(2); IRPA s.96)")
        EXCLUSION_1E = "exclusion_1e", _("Exclusion under Article 1E (status in a country of residence)")
        CREDIBILITY = "credibility", _("Credibility")
        IDENTITY = "identity", _("Identity")
        EXCLUSION_1F = "exclusion_1f", _("Exclusion under Article 1F")
        STATE_PROTECTION = "state_protection", _("State protection")
        IFA = "ifa", _("Internal flight alternative")
        NEXUS = "nexus", _("Nexus to a Convention ground")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ADDRESSED = "addressed", _("Addressed")
        RESOLVED = "resolved", _("Resolved")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="issues")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    notes = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class EvidenceItem(Versioned):
    class Status(models.TextChoices):
        NEEDED = "needed", _("Needed")
        REQUESTED = "requested", _("Requested")
        OBTAINED = "obtained", _("Obtained")
        FILED = "filed", _("Filed with the Board")
        UNAVAILABLE = "unavailable", _("Unavailable (explain why)")

    issue = models.ForeignKey(LegalIssue, on_delete=models.CASCADE, related_name="evidence")
    description = models.CharField(max_length=300)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEEDED)
    attachments = models.ManyToManyField("cases.Attachment", blank=True, related_name="evidence_items")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description


class CalendarFeed(models.Model):
    """A user's private iCalendar feed. Only a hash of the secret token is stored."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deadline_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)


class ReminderSent(models.Model):
    """One reminder e-mail per user, deadline and due date, so `deadlines remind` can run as often as wanted."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "deadline", "due_on"], name="reminder_once")]
