"""The reminders' pages for branch staff (namespace ``followup``)."""

from django.urls import path

from web.followup import views

urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
]
