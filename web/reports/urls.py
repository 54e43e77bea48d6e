"""The branch's reports (namespace ``reports``): the report pages, their CSV files, the evaluation
workbook and the participant list."""

from django.urls import path

from web.reports import views

urlpatterns = [
    path("", views.index, name="index"),
    path("workbook.xlsx", views.workbook, name="workbook"),
    path("participants.xlsx", views.participants_xlsx, name="participants_xlsx"),
    path("participants.csv", views.participants_csv, name="participants_csv"),
    path("<slug:slug>/", views.report, name="report"),
    path("<slug:slug>.csv", views.report_csv, name="report_csv"),
]
