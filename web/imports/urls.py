"""Bulk import of enrollments from Excel/CSV (namespace ``enrollment``, under ``import/``)."""

from django.urls import path

from web.imports import views

urlpatterns = [
    path("import/", views.import_upload, name="import_upload"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/findings.xlsx", views.import_findings, name="import_findings"),
]
