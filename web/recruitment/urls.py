"""Recruitment pages (namespace ``recruitment``): candidates, training sessions, the agent's own candidates."""

from django.urls import path

from web.recruitment import views

urlpatterns = [
    path("candidates/", views.candidate_list, name="candidate_list"),
    path("candidates/new/", views.candidate_create, name="candidate_create"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("candidates/<int:pk>/edit/", views.candidate_edit, name="candidate_edit"),
    path("candidates/<int:pk>/invite/", views.candidate_invite, name="candidate_invite"),
    path("candidates/<int:pk>/withdraw/", views.candidate_withdraw, name="candidate_withdraw"),
    path("candidates/<int:pk>/activate/", views.candidate_activate, name="candidate_activate"),
    path("seats/<int:pk>/cancel/", views.seat_cancel, name="seat_cancel"),
    path("seats/<int:pk>/attend/", views.seat_attend, name="seat_attend"),
    path("seats/<int:pk>/certificate.pdf", views.seat_certificate, name="seat_certificate"),
    path("agents/<int:pk>/letter.pdf", views.agent_letter, name="agent_letter"),
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/invite/", views.session_invite, name="session_invite"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/results/", views.session_results, name="session_results"),
    path("sessions/<int:pk>/print/", views.session_print, name="session_print"),
    path("mine/", views.my_candidates, name="my_candidates"),
    path("mine/new/", views.my_candidate_register, name="my_candidate_register"),
    path("mine/<int:pk>/", views.my_candidate_detail, name="my_candidate_detail"),
]
