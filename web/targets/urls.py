"""The acquisition targets' pages (namespace ``targets``): a year, one target, the history, the file."""

from django.urls import path

from web.targets import views

urlpatterns = [
    path("", views.year_targets, name="year"),
    path("new/", views.target_create, name="target_create"),
    path("<int:pk>/", views.target_edit, name="target_edit"),
    path("<int:pk>/remove/", views.target_remove_view, name="target_remove"),
    path("history/", views.history, name="history"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/preview/", views.import_preview, name="import_preview"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
]
