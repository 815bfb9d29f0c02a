from rest_framework.routers import DefaultRouter

from haven.api import views
from haven.api.casework import AppointmentViewSet, TaskViewSet


class HavenRouter(DefaultRouter):
    APIRootView = views.ApiRootView


router = HavenRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("households", views.HouseholdViewSet, basename="household")
router.register("persons", views.PersonViewSet, basename="person")
router.register("notes", views.NoteViewSet, basename="note")
router.register("attachments", views.AttachmentViewSet, basename="attachment")
router.register("tasks", TaskViewSet, basename="task")
router.register("appointments", AppointmentViewSet, basename="appointment")
urlpatterns = router.urls
