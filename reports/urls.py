from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("workbook.xlsx", views.workbook, name="workbook"),
    path("participants.xlsx", views.participants_xlsx, name="participants_xlsx"),
    path("participants.csv", views.participants_csv, name="participants_csv"),
    path("<slug:slug>/", views.report, name="report"),
    path("<slug:slug>.csv", views.report_csv, name="report_csv"),
]
