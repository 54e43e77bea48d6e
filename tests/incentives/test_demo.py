"""The Cilacap demo has real statements: every Rupiah traces back to a contribution in the database."""

import datetime

import pytest
from django.db.models import Count, Sum

from agents.models import Agent, Branch, PerisaiOffice, ProgrammeTerms
from demo.cilacap import seed_cilacap_demo
from enrollment.models import Contribution
from incentives.activity import Standing, activity_overview, office_standings
from incentives.models import IncentiveScheme
from incentives.statements import agent_earnings, branch_statements, incentive_sheet

pytestmark = pytest.mark.django_db

MARCH_2022 = datetime.date(2022, 3, 1)


@pytest.fixture
def demo(db):
    seed_cilacap_demo()
    return Branch.objects.get(code="CLP")


def test_the_demo_sheet_traces_to_the_contributions(demo):
    sheet = incentive_sheet(branch=demo, month=MARCH_2022)
    paid_in_march = Contribution.objects.filter(
        acquisition__branch=demo, paid_on__year=2022, paid_on__month=3
    ).aggregate(count=Count("id"), amount=Sum("amount"))

    assert sheet.scheme.name == "Insentif Perisai 2021–2022"
    assert (sheet.total.contributions, sheet.total.contributions_amount) == (
        paid_in_march["count"],
        paid_in_march["amount"],
    )
    assert sheet.total.fee == sum(row.incentive.fee for row in sheet.rows)
    statements = branch_statements(sheet=sheet)
    assert sum(len(s.lines) for s in statements) == paid_in_march["count"]
    assert all(sum(line.amount for line in s.lines) == s.incentive.contributions_amount for s in statements)


def test_the_busiest_agent_earns_the_bonus_in_some_months(demo):
    busiest = Agent.objects.get(code="CLP-A021")
    bonus_months = [
        m.month
        for year in (2021, 2022)
        for m in agent_earnings(agent=busiest, year=year, month=12).months
        if m.incentive.bonus
    ]

    assert busiest.user.username == "agen1"
    assert bonus_months == [datetime.date(2021, 2, 1), datetime.date(2021, 8, 1)]


def test_the_demo_shows_activity_and_offices_under_their_minimum(demo):
    overview = activity_overview(agents=Agent.objects.filter(branch=demo))
    standings = office_standings(offices=PerisaiOffice.objects.filter(branch=demo))

    assert IncentiveScheme.objects.count() == 1 and ProgrammeTerms.objects.count() == 1
    assert overview.month == datetime.date(2022, 6, 1)
    assert overview.counts["left"] == 10
    assert overview.working == 70
    at_risk = sorted(
        PerisaiOffice.objects.get(pk=pk).code for pk, row in standings.items() if row.standing == Standing.PKS_AT_RISK
    )
    assert at_risk == ["CLP-01", "CLP-02"]
