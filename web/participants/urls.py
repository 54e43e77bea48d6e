"""The staff participant screens (namespace ``enrollment``): the list, a participant's page, edit and
move, a full NIK on request (logged), the NIK view log, and a person's data for their access request."""

from django.urls import path

from web.participants import documents, personal_data, views

urlpatterns = [
    path("participants/", views.participant_list, name="participant_list"),
    path("participants/move/", views.participant_move, name="participant_move"),
    path("participants/<int:pk>/", views.participant_detail, name="participant_detail"),
    path("participants/<int:pk>/edit/", views.participant_edit, name="participant_edit"),
    path("participants/<int:pk>/nik/", personal_data.participant_nik, name="participant_nik"),
    path("participants/<int:pk>/personal-data/", personal_data.participant_data_export, name="participant_data_export"),
    path("acquisitions/<int:pk>/proof/", documents.acquisition_proof, name="acquisition_proof"),
    path("nik-log/", personal_data.nik_disclosure_list, name="nik_disclosure_list"),
]
