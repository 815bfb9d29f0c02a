from rest_framework.routers import DefaultRouter

from haven.api import claims, funds, schema, settlement_views, sponsorship, views  # noqa: F401 (schema: its extension)
from haven.api.casework import AppointmentViewSet, TaskViewSet


class HavenRouter(DefaultRouter):
    APIRootView = views.ApiRootView


router = HavenRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("households", views.HouseholdViewSet, basename="household")
router.register("persons", views.PersonViewSet, basename="person")
router.register("notes", views.NoteViewSet, basename="note")
router.register("attachments", views.AttachmentViewSet, basename="attachment")
# Private sponsorship (haven.sponsorship)
router.register("sponsorship/sponsors", sponsorship.SponsorProfileViewSet, basename="sponsor-profile")
router.register("sponsorship/applications", sponsorship.ApplicationViewSet, basename="sponsorship-application")
# Settlement (haven.settlement): needs assessments, the service plan, milestones and the provider directory.
router.register("assessments", settlement_views.AssessmentViewSet, basename="assessment")
router.register("goals", settlement_views.GoalViewSet, basename="goal")
router.register("referrals", settlement_views.ReferralViewSet, basename="referral")
router.register("milestones", settlement_views.MilestoneViewSet, basename="milestone")
router.register("providers", settlement_views.ProviderViewSet, basename="provider")
router.register("plans", settlement_views.PlanViewSet, basename="plan")
router.register("tasks", TaskViewSet, basename="task")
router.register("appointments", AppointmentViewSet, basename="appointment")
# Protection claims (haven.claims): claims with their steps, legal issues and deadlines; evidence items; the
# deadlines list. "claims/evidence" before "claims", whose detail route would otherwise take "evidence" for an id.
router.register("claims/evidence", claims.EvidenceViewSet, basename="claim-evidence")
router.register("claims", claims.ClaimViewSet, basename="claim")
router.register("deadlines", claims.DeadlineViewSet, basename="deadline")
# The funds app's endpoints (haven/api/funds.py).
for prefix, viewset, basename in funds.ROUTES:
    router.register(prefix, viewset, basename=basename)
urlpatterns = router.urls
