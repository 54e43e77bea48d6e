"""A branch user never gets another branch's numbers; an agent only their own."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from agents.models import Agent, User
from agents.scoping import scope_for
from reports.acquisitions import by_agent, by_office, monthly_comparison, yearly_totals
from reports.catalogue import REPORTS
from reports.continuity import contribution_continuity, lapsed_participants, participant_standing
from reports.network import agent_network
from reports.periods import Period
from reports.targets import target_progress
from tests.factories import AcquisitionTargetFactory, UserFactory
from tests.reports.conftest import acquire, pay

pytestmark = pytest.mark.django_db

PERIOD = Period(2022, 6)


@pytest.fixture
def staff(cilacap):
    return UserFactory(role=User.Role.STAFF, branch=cilacap["branch"])


def test_a_branch_without_acquisitions_sees_none_of_anothers(cilacap, banyumas, staff):
    AcquisitionTargetFactory(branch=banyumas["branch"], year=2022)
    scope = scope_for(staff)

    assert [(row.year_to_date, row.full_year) for row in yearly_totals(scope=scope, period=PERIOD)] == [(0, 0)]
    assert all(not row.this_year and not row.last_year for row in monthly_comparison(scope=scope, period=PERIOD))
    assert {row.key for row in by_office(scope=scope, period=PERIOD)} == {"CLP-N", "CLP-S"}
    assert all(row.acquisitions == 0 for row in by_office(scope=scope, period=PERIOD))
    assert {row.code for row in by_agent(scope=scope, period=PERIOD)} == {"ANI", "BUDI", "CITRA"}
    assert agent_network(scope=scope, period=PERIOD).acquisitions == 0
    assert participant_standing(scope=scope, period=PERIOD).total == 0
    assert all(cohort.size == 0 for cohort in contribution_continuity(scope=scope, period=PERIOD).cohorts)
    assert not lapsed_participants(scope=scope, period=PERIOD).exists()
    assert target_progress(scope=scope, period=PERIOD) == []


def test_no_report_table_mentions_another_branch(cilacap, banyumas, staff):
    acquire(cilacap["ani"], datetime.date(2022, 2, 1))
    scope = scope_for(staff)
    for report in REPORTS.values():
        table = report.table(scope=scope, period=PERIOD)
        text = " ".join(str(value) for values in table.value_rows() for value in values)
        assert "BMS" not in text and "Banyumas" not in text, report.slug


def test_an_agent_scope_counts_only_the_agents_own(cilacap):
    login = UserFactory(role=User.Role.AGENT, branch=cilacap["branch"])
    Agent.objects.filter(pk=cilacap["ani"].pk).update(user=login)
    pay(acquire(cilacap["ani"], datetime.date(2022, 2, 1)), (2022, 2))
    pay(acquire(cilacap["budi"], datetime.date(2022, 2, 1)), (2022, 2))

    scope = scope_for(login, branch_code="CLP", office_code="CLP-S", agent_code="BUDI")  # asks for more: ignored

    assert scope.agent == cilacap["ani"]
    assert yearly_totals(scope=scope, period=PERIOD)[-1].year_to_date == 1
    assert [row.code for row in by_agent(scope=scope, period=PERIOD)] == ["ANI"]
    assert participant_standing(scope=scope, period=PERIOD).total == 1


def test_scope_for_refuses_what_is_out_of_reach(cilacap, banyumas, staff):
    for asked in ({"branch_code": "BMS"}, {"office_code": "BMS-1"}, {"agent_code": "BMS-A1"}):
        with pytest.raises(PermissionDenied):
            scope_for(staff, **asked)
    admin = UserFactory(role=User.Role.ADMIN, branch=None)
    with pytest.raises(PermissionDenied):
        scope_for(admin, branch_code="CLP", office_code="BMS-1")  # an office of another branch than the one asked
    assert scope_for(admin, branch_code="BMS").branch == banyumas["branch"]
    assert scope_for(admin).level == "national"


def test_pages_answer_an_out_of_reach_selector_with_a_message_and_the_users_own_branch(
    client, cilacap, banyumas, staff, in_english
):
    acquire(cilacap["ani"], datetime.date(2022, 2, 1))
    client.force_login(staff)
    for query in ("branch=BMS", "office=BMS-1", "agent=BMS-A1"):
        response = client.get(f"/reports/yearly/?{query}")
        assert response.status_code == 200
        assert response.context["selection"].scope.branch == cilacap["branch"]
        assert "is not one you may see" in response.content.decode()
        assert [row.full_year for row in response.context["table"].rows] == [1]
