"""Incentive pages (namespace ``incentives``): the branch's monthly sheet, one agent's statement, their
Excel files, the schemes."""

from django.urls import path

from web.incentives import views

urlpatterns = [
    path("", views.index, name="index"),
    path("sheet.xlsx", views.index_download, name="index_download"),
    path("agents/<int:pk>/", views.agent_statement, name="agent_statement"),
    path("agents/<int:pk>/statement.xlsx", views.agent_statement_download, name="agent_statement_download"),
    path("schemes/", views.scheme_list, name="scheme_list"),
]
