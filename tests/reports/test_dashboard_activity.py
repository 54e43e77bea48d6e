"""The dashboard flags agents who stopped acquiring and offices under their monthly minimum."""

import datetime

import pytest

from agents.models import ProgrammeTerms, User
from reports.periods import Period
from tests.factories import AcquisitionTargetFactory, UserFactory
from tests.reports.conftest import acquire
from web.reports.dashboard import dashboard

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms(db):
    return ProgrammeTerms.objects.create(
        name="Ketentuan Perisai",
        effective_from=datetime.date(2017, 1, 1),
        agent_at_risk_months=2,
        agent_inactive_months=3,
        reactivation_wait_months=6,
        office_warning_months=2,
        office_pks_loss_months=3,
    )


@pytest.fixture
def june_2022(cilacap, terms):
    """Ani acquires every month; Budi's last new participant was in February; Citra's in April."""
    for month in range(1, 7):
        acquire(cilacap["ani"], datetime.date(2022, month, 10))
    acquire(cilacap["budi"], datetime.date(2022, 2, 10))
    acquire(cilacap["citra"], datetime.date(2022, 4, 10))
    AcquisitionTargetFactory(branch=cilacap["branch"], office=cilacap["south"], year=2022, target=120)
    return Period(2022, 6)


def test_agents_slipping_are_counted_and_listed(cilacap, june_2022):
    figures = dashboard(scope=cilacap["scope"], period=june_2022).activity
    assert figures.counts["active"] == 1
    assert figures.counts["at_risk"] == 1
    assert figures.counts["inactive"] == 1
    assert [(agent.code, agent.activity) for agent in figures.slipping] == [("BUDI", "inactive"), ("CITRA", "at_risk")]


def test_office_under_its_minimum_for_three_months_has_its_pks_at_risk(cilacap, june_2022):
    under = dashboard(scope=cilacap["scope"], period=june_2022).offices_under_minimum
    assert [row.office for row in under] == [cilacap["south"]]
    assert under[0].standing.monthly_minimum == 10
    assert under[0].standing.pks_at_risk


def test_the_dashboard_page_shows_both(client, cilacap, june_2022, in_english):
    client.force_login(UserFactory(role=User.Role.STAFF, branch=cilacap["branch"]))
    page = client.get("/", {"through": "2022-06"}).content.decode()
    assert "Agents slipping" in page and "Budi" in page and "Citra" in page
    assert "PKS at risk" in page and cilacap["south"].name in page
