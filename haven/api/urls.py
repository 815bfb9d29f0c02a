from rest_framework.routers import DefaultRouter

from haven.api import sponsorship, views


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
urlpatterns = router.urls
