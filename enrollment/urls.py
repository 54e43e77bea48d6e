from django.urls import path

from enrollment.views import field, imports, participants, personal_data

app_name = "enrollment"

urlpatterns = [
    # The agent's phone pages (enrollment/views/field.py).
    path("field/", field.agent_home, name="agent_home"),
    path("field/enrol/", field.enrol, name="enrol"),
    path("field/enrol/preview/", field.enrol_preview, name="enrol_preview"),
    path("field/participants/", field.my_participants, name="my_participants"),
    path("field/participants/<int:pk>/", field.my_participant_detail, name="my_participant_detail"),
    path("field/participants/<int:pk>/nik/", personal_data.my_participant_nik, name="my_participant_nik"),
    path("field/acquisitions/<int:pk>/contribution/", field.contribution_record, name="contribution_record"),
    path("field/performance/", field.my_performance, name="my_performance"),
    # Staff participant screens (enrollment/views/participants.py).
    path("participants/", participants.participant_list, name="participant_list"),
    path("participants/move/", participants.participant_move, name="participant_move"),
    path("participants/<int:pk>/", participants.participant_detail, name="participant_detail"),
    path("participants/<int:pk>/edit/", participants.participant_edit, name="participant_edit"),
    # A full NIK on request (logged), the NIK view log, a person's data (enrollment/views/personal_data.py).
    path("participants/<int:pk>/nik/", personal_data.participant_nik, name="participant_nik"),
    path("participants/<int:pk>/personal-data/", personal_data.participant_data_export, name="participant_data_export"),
    path("nik-log/", personal_data.nik_disclosure_list, name="nik_disclosure_list"),
    # Bulk import from Excel/CSV (enrollment/views/imports.py).
    path("import/", imports.import_upload, name="import_upload"),
    path("import/template.xlsx", imports.import_template, name="import_template"),
    path("import/<int:pk>/", imports.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
]
