from django.urls import path

from haven.matching import views

app_name = "matching"

urlpatterns = [
    path("review/", views.queue, name="queue"),
    path("review/run/", views.run, name="run"),
    path("review/<int:pk>/", views.candidate, name="candidate"),
    path("review/<int:pk>/not-same/", views.not_same, name="not_same"),
    path("review/<int:pk>/merge/", views.merge, name="merge"),
    path("merges/<int:pk>/", views.merge_detail, name="merge_detail"),
    path("merges/<int:pk>/unmerge/", views.unmerge, name="unmerge"),
]
