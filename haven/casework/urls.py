from django.urls import path

from haven.casework import views

app_name = "casework"

urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("calendar/", views.calendar, name="calendar"),
    path("feed/", views.feed_settings, name="feed_settings"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("case/<int:case_pk>/", views.case_work, name="case_work"),
    path("case/<int:case_pk>/tasks/new/", views.task_create, name="task_create"),
    path("case/<int:case_pk>/appointments/new/", views.appointment_create, name="appointment_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/complete/", views.task_complete, name="task_complete"),
    path("tasks/<int:pk>/start/", views.task_start, name="task_start"),
    path("tasks/<int:pk>/reopen/", views.task_reopen, name="task_reopen"),
    path("tasks/<int:pk>/cancel/", views.task_cancel, name="task_cancel"),
    path("tasks/<int:pk>/delete/", views.task_delete, name="task_delete"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment_detail"),
    path("appointments/<int:pk>/edit/", views.appointment_edit, name="appointment_edit"),
    path("appointments/<int:pk>/cancel/", views.appointment_cancel, name="appointment_cancel"),
    path("appointments/<int:pk>/delete/", views.appointment_delete, name="appointment_delete"),
]
