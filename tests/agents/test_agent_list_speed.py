"""What made the agent list slow, kept fast: the office filter written without a template per option, and each
agent's latest acquisition read from the end of an index instead of aggregating all of them."""

import datetime
import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agents.models import PerisaiOffice, User
from incentives.activity import annotate_activity
from perisai.forms import QuickSelect
from tests.factories import AcquisitionFactory, AgentFactory, PerisaiOfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


class Offices(forms.Form):
    django = forms.ModelChoiceField(queryset=PerisaiOffice.objects.order_by("pk"), required=False, empty_label="<All>")
    quick = forms.ModelChoiceField(
        queryset=PerisaiOffice.objects.order_by("pk"), required=False, empty_label="<All>", widget=QuickSelect
    )


@pytest.mark.parametrize("chosen", [False, True])
def test_the_quick_select_writes_what_djangos_select_writes(branch, chosen):
    offices = [PerisaiOfficeFactory(branch=branch, name=name) for name in ("Kroya", 'Cilacap "Kota" & <Majenang>')]
    form = Offices({"django": offices[1].pk, "quick": offices[1].pk} if chosen else {})
    form.is_valid()
    for name in ("django", "quick"):
        form.fields[name].widget.attrs.update({"class": "form-select", "data-flag": True, "hidden": False})
    django = str(form["django"].as_widget()).replace("id_django", "id_x").replace('name="django"', 'name="x"')
    quick = str(form["quick"].as_widget()).replace("id_quick", "id_x").replace('name="quick"', 'name="x"')
    assert quick == django
    assert "&quot;Kota&quot; &amp; &lt;Majenang&gt;" in quick


def test_the_agent_list_draws_its_office_filter_with_every_office(client, branch):
    offices = [PerisaiOfficeFactory(branch=branch, name=f"Kantor {number:02d}") for number in range(30)]
    client.force_login(UserFactory(role=User.Role.STAFF, branch=branch))
    response = client.get(reverse("agents:agent_list"), {"office": offices[3].pk})
    select = re.search(rb'<select name="office".*?</select>', response.content, re.S).group(0).decode()
    assert select.count("<option") == 31
    assert f'<option value="{offices[3].pk}" selected>Kantor 03</option>' in select


def test_the_latest_acquisition_is_the_first_row_of_the_agent_in_date_order(branch, office, rate):
    agent = AgentFactory(branch=branch, office=office, joined_on=datetime.date(2020, 1, 1))
    for day in (datetime.date(2021, 3, 9), datetime.date(2022, 5, 2), datetime.date(2022, 7, 1)):
        AcquisitionFactory(agent=agent, rate=rate, acquired_on=day)
    with CaptureQueriesContext(connection) as queries:
        [annotated] = annotate_activity(
            type(agent).objects.filter(pk=agent.pk), month=datetime.date(2022, 6, 1), terms=None
        )
    assert annotated.last_acquired_on == datetime.date(2022, 5, 2)  # the latest up to the month's end
    [query] = queries.captured_queries
    assert "MAX(" not in query["sql"].upper() and "LIMIT 1" in query["sql"].upper()
