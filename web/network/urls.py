"""The agent network's pages (namespace ``agents``): agents, Perisai offices, PKS."""

from django.urls import path

from web.network import agents, agreements, cards, offices

urlpatterns = [
    path("", agents.agent_list, name="agent_list"),
    path("new/", agents.agent_create, name="agent_create"),
    path("<int:pk>/", agents.agent_detail, name="agent_detail"),
    path("<int:pk>/edit/", agents.agent_edit, name="agent_edit"),
    path("<int:pk>/deactivate/", agents.agent_deactivate, name="agent_deactivate"),
    path("<int:pk>/reactivate/", agents.agent_reactivate, name="agent_reactivate"),
    path("<int:pk>/login/", agents.agent_login, name="agent_login"),
    path("<int:pk>/nik/", agents.agent_nik, name="agent_nik"),
    path("<int:pk>/card/", cards.agent_card, name="agent_card"),
    path("offices/", offices.office_list, name="office_list"),
    path("offices/new/", offices.office_create, name="office_create"),
    path("offices/<int:pk>/", offices.office_detail, name="office_detail"),
    path("offices/<int:pk>/edit/", offices.office_edit, name="office_edit"),
    path("pks/", agreements.agreement_list, name="agreement_list"),
    path("pks/new/", agreements.agreement_create, name="agreement_create"),
    path("pks/<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path("pks/<int:pk>/renew/", agreements.agreement_renew, name="agreement_renew"),
    path("pks/<int:pk>/document/", agreements.agreement_document, name="agreement_document"),
    path("pks/<int:pk>/document/upload/", agreements.agreement_upload, name="agreement_upload"),
]
