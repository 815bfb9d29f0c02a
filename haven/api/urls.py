from rest_framework.routers import DefaultRouter

from haven.api import funds, views


class HavenRouter(DefaultRouter):
    APIRootView = views.ApiRootView


router = HavenRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("households", views.HouseholdViewSet, basename="household")
router.register("persons", views.PersonViewSet, basename="person")
router.register("notes", views.NoteViewSet, basename="note")
router.register("attachments", views.AttachmentViewSet, basename="attachment")
# The funds app's endpoints (haven/api/funds.py).
for prefix, viewset, basename in funds.ROUTES:
    router.register(prefix, viewset, basename=basename)
urlpatterns = router.urls
