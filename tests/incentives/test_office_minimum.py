"""Offices under their monthly minimum (yearly target / 12, rounded up) for 2 and 3 months running."""

import datetime

import pytest
from django.urls import reverse

from agents.models import PerisaiOffice
from incentives.activity import Standing, monthly_minimum, office_standings, offices_under_minimum
from tests.factories import AcquisitionTargetFactory, AgentFactory, CooperationAgreementFactory, PerisaiOfficeFactory
from tests.incentives.builders import FAR_FUTURE, acquire

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("target", "minimum"), [(1200, 100), (1201, 101), (1199, 100), (11, 1)])
def test_the_monthly_minimum_is_the_yearly_target_over_twelve_rounded_up(target, minimum):
    assert monthly_minimum(target) == minimum


@pytest.fixture
def targeted(office, agent, terms):
    """An office with a 2022 target of 120 (minimum 10 a month) and 10 acquisitions in January 2022."""
    AcquisitionTargetFactory(year=2022, branch=office.branch, office=office, target=120)
    acquire(agent, datetime.date(2022, 1, 20), count=10)
    return office


def standing(office, month, today=FAR_FUTURE):
    return office_standings(offices=PerisaiOffice.objects.filter(pk=office.pk), month=month, today=today)[office.pk]


def test_months_under_the_minimum_warn_then_put_the_pks_at_risk(targeted, agent):
    acquire(agent, datetime.date(2022, 2, 5), count=9)  # February: 9 of 10
    acquire(agent, datetime.date(2022, 3, 5), count=3)  # March: 3
    acquire(agent, datetime.date(2022, 5, 5), count=10)  # May: at the minimum again

    january, february, march, april, may = (standing(targeted, datetime.date(2022, m, 1)) for m in range(1, 6))

    assert (january.standing, january.months_under) == (Standing.OK, 0)
    assert (february.standing, february.months_under) == (Standing.OK, 1)
    assert (march.standing, march.months_under, march.under_since) == (Standing.WARNING, 2, datetime.date(2022, 2, 1))
    assert (april.standing, april.months_under, april.acquisitions) == (Standing.PKS_AT_RISK, 3, 0)
    assert (may.standing, may.months_under, may.under_since) == (Standing.OK, 0, None)
    assert (march.monthly_minimum, march.yearly_target) == (10, 120)


def test_a_month_in_progress_counts_only_once_over_or_at_its_minimum(targeted, agent):
    acquire(agent, datetime.date(2022, 2, 5), count=2)

    in_progress = standing(targeted, datetime.date(2022, 3, 1), today=datetime.date(2022, 3, 10))
    over = standing(targeted, datetime.date(2022, 3, 1), today=datetime.date(2022, 4, 1))

    assert (in_progress.standing, in_progress.months_under) == (Standing.OK, 1)  # only February judged
    assert (over.standing, over.months_under) == (Standing.WARNING, 2)
    acquire(agent, datetime.date(2022, 3, 9), count=10)
    assert standing(targeted, datetime.date(2022, 3, 1), today=datetime.date(2022, 3, 10)).months_under == 0


def test_a_year_without_a_target_ends_the_run(targeted, agent):
    acquire(agent, datetime.date(2021, 12, 3))

    # 2021 has no target: December 2021 has nothing to be under, and January 2022's run stops there.
    assert standing(targeted, datetime.date(2021, 12, 1)).standing == Standing.NO_TARGET
    assert standing(targeted, datetime.date(2022, 2, 1)).months_under == 1
    without = office_standings(offices=PerisaiOffice.objects.filter(pk=PerisaiOfficeFactory().pk), today=FAR_FUTURE)
    assert without == {}  # neither a target nor an acquisition: nothing to judge


def test_offices_flags_on_the_office_and_pks_pages(staff_client, targeted, agent, terms):
    agreement = CooperationAgreementFactory(
        office=targeted, starts_on=datetime.date(2022, 1, 1), ends_on=datetime.date(2099, 12, 31)
    )
    # April to June 2022 without a single acquisition, then the latest month with one is June.
    acquire(
        AgentFactory(branch=targeted.branch, office=PerisaiOfficeFactory(branch=targeted.branch)),
        datetime.date(2022, 6, 1),
    )

    office_list = staff_client.get(reverse("agents:office_list")).content.decode()
    office_page = staff_client.get(reverse("agents:office_detail", args=[targeted.pk])).content.decode()
    pks_list = staff_client.get(reverse("agents:agreement_list")).content.decode()
    pks_page = staff_client.get(reverse("agents:agreement_detail", args=[agreement.pk])).content.decode()

    for page in (office_list, office_page, pks_list, pks_page):
        assert "PKS at risk" in page
    assert "10 acquisitions (yearly target 120 ÷ 12, rounded up)" in office_page
    assert "under its monthly minimum of 10 acquisitions for 5 months running, since February 2022" in pks_page


def test_an_expired_pks_is_not_flagged(staff_client, targeted, terms):
    CooperationAgreementFactory(office=targeted)  # 2021: expired long ago

    assert "PKS at risk" not in staff_client.get(reverse("agents:agreement_list")).content.decode()


def test_standings_take_a_fixed_number_of_queries(branch, terms, django_assert_max_num_queries):
    def seed(count):
        for office in PerisaiOfficeFactory.create_batch(count, branch=branch):
            AcquisitionTargetFactory(year=2022, branch=branch, office=office, target=120)
            acquire(AgentFactory(branch=branch, office=office), datetime.date(2022, 3, 3), count=2)

    seed(2)
    with django_assert_max_num_queries(4) as few:
        office_standings(offices=PerisaiOffice.objects.filter(branch=branch), today=FAR_FUTURE)
    seed(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        standings = office_standings(offices=PerisaiOffice.objects.filter(branch=branch), today=FAR_FUTURE)
    assert len(standings) == 14
    assert {row.standing for row in standings.values()} == {Standing.PKS_AT_RISK}


def test_the_dashboard_lists_the_offices_under_their_minimum_longest_first(branch, office, agent, terms):
    calm = PerisaiOfficeFactory(branch=branch, name="Tenang")
    slipping = PerisaiOfficeFactory(branch=branch, name="Tergelincir")
    for each, target in ((office, 120), (calm, 12), (slipping, 1200)):
        AcquisitionTargetFactory(year=2022, branch=branch, office=each, target=target)
    acquire(AgentFactory(branch=branch, office=calm), datetime.date(2022, 3, 3))  # calm: 1 of 1 in March only
    acquire(agent, datetime.date(2022, 1, 3), count=10)  # office: at its minimum in January only
    acquire(AgentFactory(branch=branch, office=slipping), datetime.date(2022, 3, 4), count=20)

    rows = offices_under_minimum(offices=PerisaiOffice.objects.filter(branch=branch), today=FAR_FUTURE)

    assert [(row.office, row.standing.months_under, row.standing.standing) for row in rows] == [
        (slipping, 3, Standing.PKS_AT_RISK),
        (office, 2, Standing.WARNING),
    ]
