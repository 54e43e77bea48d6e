"""The agent's phone pages (namespace ``enrollment``, under ``field/``)."""

from django.urls import path

from web.field import views

urlpatterns = [
    path("field/", views.agent_home, name="agent_home"),
    path("field/enrol/", views.enrol, name="enrol"),
    path("field/enrol/preview/", views.enrol_preview, name="enrol_preview"),
    path("field/participants/", views.my_participants, name="my_participants"),
    path("field/participants/<int:pk>/", views.my_participant_detail, name="my_participant_detail"),
    path("field/participants/<int:pk>/nik/", views.my_participant_nik, name="my_participant_nik"),
    path("field/acquisitions/<int:pk>/contribution/", views.contribution_record, name="contribution_record"),
    path("field/performance/", views.my_performance, name="my_performance"),
    path("field/follow-up/", views.follow_up, name="follow_up"),
    path("field/acquisitions/<int:pk>/contact/", views.contact_record, name="contact_record"),
]
