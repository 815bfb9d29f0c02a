"""The sponsorship app's models, split by subject: applications (sponsors, programs, applications, stage
events) and planning (eligibility answers, cost tables, settlement plans)."""
from haven.sponsorship.models.applications import (
    RECOGNITION_REQUIRED,
    Decision,
    Program,
    SponsorKind,
    SponsorMember,
    SponsorProfile,
    SponsorshipApplication,
    Stage,
    StageEvent,
    UndertakingRole,
)
from haven.sponsorship.models.planning import (
    Answer,
    CostTable,
    CostTableRow,
    EligibilityAnswer,
    InKindDonation,
    SettlementPlan,
    SupportAlert,
)

__all__ = ["RECOGNITION_REQUIRED", "Answer", "CostTable", "CostTableRow", "Decision", "EligibilityAnswer",
           "InKindDonation", "Program", "SettlementPlan", "SponsorKind", "SponsorMember", "SponsorProfile",
           "SponsorshipApplication", "Stage", "StageEvent", "SupportAlert", "UndertakingRole"]
