"""The Cilacap demo has real statements: every Rupiah traces back to a contribution in the database."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Count, Sum

from agents.models import Agent, Branch, CooperationAgreement, PerisaiOffice, ProgrammeTerms
from demo.cilacap import seed_cilacap_demo
from enrollment.models import Contribution
from incentives.activity import Standing, activity_overview, office_standings
from incentives.models import IncentiveScheme
from incentives.statements import agent_earnings, agent_statement, branch_statements, incentive_sheet
from perisai.money import whole_rupiah
from perisai.months import add_months

pytestmark = pytest.mark.django_db

MARCH_2022 = datetime.date(2022, 3, 1)
DEMO_DAY = datetime.date(2026, 12, 6)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo as of a fixed day, seeded once for the module and rolled back at its end."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            seed_cilacap_demo(today=DEMO_DAY)
            yield Branch.objects.get(code="CLP")
            transaction.set_rollback(True)


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


def test_the_demo_showed_activity_and_offices_under_their_minimum_in_june_2022(demo):
    june, tenth_of_july = datetime.date(2022, 6, 1), datetime.date(2022, 7, 10)
    overview = activity_overview(agents=Agent.objects.filter(branch=demo), month=june, today=tenth_of_july)
    standings = office_standings(offices=PerisaiOffice.objects.filter(branch=demo), month=june, today=tenth_of_july)

    assert IncentiveScheme.objects.count() == 2 and ProgrammeTerms.objects.count() == 2
    assert overview.counts["left"] == 10
    assert overview.working == 70
    at_risk = sorted(
        PerisaiOffice.objects.get(pk=pk).code for pk, row in standings.items() if row.standing == Standing.PKS_AT_RISK
    )
    assert at_risk == ["CLP-01", "CLP-02"]


def test_the_demo_shows_this_months_activity_with_agents_slipping_before_they_leave(demo):
    overview = activity_overview(agents=Agent.objects.filter(branch=demo), today=DEMO_DAY)
    standings = office_standings(offices=PerisaiOffice.objects.filter(branch=demo), today=DEMO_DAY)

    assert overview.month == datetime.date(2026, 12, 1)
    assert overview.counts["left"] > 10
    assert 60 <= overview.working <= 110
    assert overview.counts["at_risk"] + overview.counts["inactive"] > 0
    sidareja = PerisaiOffice.objects.get(code="CLP-04")  # its PKS ended in June 2024, its agents moved
    assert not sidareja.is_active and not Agent.objects.filter(office=sidareja, status=Agent.Status.ACTIVE).exists()
    assert {row.standing for row in standings.values()} - {Standing.NO_TARGET} != set()


def test_march_and_may_2022_follow_the_terms_in_force_then(demo):
    busiest = Agent.objects.get(code="CLP-A021")

    march = agent_statement(agent=busiest, month=MARCH_2022)
    may = agent_statement(agent=busiest, month=datetime.date(2022, 5, 1))
    june = agent_statement(agent=busiest, month=datetime.date(2022, 6, 1))

    assert march.scheme.name == "Insentif Perisai 2021–2022"
    assert march.incentive.fee == whole_rupiah(march.incentive.contributions_amount * Decimal("0.075"))
    assert may.scheme.name.startswith("New Perisai 2022")
    # Every demo participant is in membership years 1-2 in 2022: 15% on all of it.
    assert {line.rate for line in may.lines} == {Decimal("0.15")}
    assert may.incentive.fee == whole_rupiah(may.incentive.contributions_amount * Decimal("0.15"))
    # 21 first enrolments in May: under 25, no fee per new participant; 34 in June: 2 × 15.000 + 32 × 10.000.
    assert (may.incentive.new_counted, may.incentive.acquisition_fee) == (21, 0)
    assert (june.incentive.new_counted, june.incentive.acquisition_fee) == (34, Decimal(350_000))
    # The first month of each new worker is paid through the agent, the same day.
    first_months = [line for line in june.lines if line.membership_month == 1 and line.paid_on.month == 6]
    assert first_months and {line.channel for line in first_months} == {"agent"}


def test_the_demo_office_shares_are_a_tenth_of_what_their_agents_earned_in_may(demo):
    sheet = incentive_sheet(branch=demo, month=datetime.date(2022, 5, 1))

    assert sum(share.base for share in sheet.office_shares) == sheet.total.total
    for share in sheet.office_shares:
        assert share.share == whole_rupiah(share.base * Decimal("0.1"))


def test_the_demo_pks_from_april_2022_run_a_year_at_most(demo):
    since_april = CooperationAgreement.objects.filter(starts_on__gte=datetime.date(2022, 4, 1))

    assert since_april.count() == 5 + 5 + 5 + 2  # Sidareja stopped after June 2024
    for agreement in since_april:
        assert agreement.ends_on < add_months(agreement.starts_on, 12)
