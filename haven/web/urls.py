from django.urls import path

from haven.web import principal_views, search, views
from haven.web.forms import SECTIONS

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("search/", search.search, name="search"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/assignments/add/", views.assignment_add, name="assignment_add"),
    path("cases/<int:pk>/assignments/<int:item_pk>/remove/", views.assignment_remove, name="assignment_remove"),
    path("cases/<int:pk>/notes/new/", views.note_create, name="note_create"),
    path("notes/<int:pk>/edit/", views.note_edit, name="note_edit"),
    path("notes/<int:pk>/delete/", views.note_delete, name="note_delete"),
    path("notes/<int:pk>/restore/", views.note_restore, name="note_restore"),
    path("cases/<int:pk>/attachments/new/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/download/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("attachments/<int:pk>/restore/", views.attachment_restore, name="attachment_restore"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/make-principal/", principal_views.make_principal, name="person_make_principal"),
]

# Add/remove forms of the person page: names, nationalities, languages, vulnerabilities, documents;
# in-place edit where the section has one (nationalities: `nationality_edit`).
for section in SECTIONS.values():
    urlpatterns += [
        path(f"people/<int:pk>/{section.key}/add/", views.person_item_add, {"section": section.key},
             name=section.add_url),
        path(f"people/<int:pk>/{section.key}/<int:item_pk>/remove/", views.person_item_remove,
             {"section": section.key}, name=section.remove_url),
    ]
    if section.keeps_removed:
        urlpatterns.append(path(f"people/<int:pk>/{section.key}/<int:item_pk>/restore/", views.person_item_restore,
                                {"section": section.key}, name=section.restore_url))
    if section.edit_form_class is not None:
        urlpatterns.append(path(f"people/<int:pk>/{section.key}/<int:item_pk>/edit/", views.person_item_edit,
                                {"section": section.key}, name=section.edit_url))
