"""The branch's reports (namespace ``reports``): the report pages, their CSV files, the evaluation
workbook, the participant list and the plan to beat last year."""

from django.urls import path

from web.reports import pdf, plan, views

urlpatterns = [
    path("", views.index, name="index"),
    path("workbook.xlsx", views.workbook, name="workbook"),
    path("participants.xlsx", views.participants_xlsx, name="participants_xlsx"),
    path("participants.csv", views.participants_csv, name="participants_csv"),
    path("plan/", plan.plan, name="plan"),
    path("dashboard.pdf", pdf.dashboard_pdf, name="dashboard_pdf"),
    path("<slug:slug>/", views.report, name="report"),
    path("<slug:slug>.csv", views.report_csv, name="report_csv"),
    path("<slug:slug>.pdf", pdf.report_pdf, name="report_pdf"),
]
