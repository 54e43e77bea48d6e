"""The plan to beat last year: what remains, split into whole quotas per office and agent by their recent
pace, the months ahead by last year's shape, the network's capacity and the agents at risk; on its page,
in the workbook and from ``manage.py acquisition_plan``."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from agents.models import Agent, User
from agents.scoping import Scope
from reports.periods import Period
from reports.plan import acquisition_plan
from tests.factories import AcquisitionTargetFactory, AgentFactory, PerisaiOfficeFactory, UserFactory
from tests.reports.conftest import acquire, leave

pytestmark = pytest.mark.django_db

JUNE_2022 = Period(2022, 6)
LAST_YEAR = [2] * 6 + [4, 4, 4, 8, 8, 8]  # Ani's 2021, month by month: 48


def acquire_many(agent, day, count):
    for _ in range(count):
        acquire(agent, day)


@pytest.fixture
def year(cilacap):
    """2021: 48 by Ani. 2022: Ani 2 a month; Budi 3 in April, then silent; Citra 1 a month from April.
    Through June 18, so 48 + 1 − 18 = 31 remain; April to June Ani brought 6, Budi 3, Citra 3."""
    ani, budi, citra = cilacap["ani"], cilacap["budi"], cilacap["citra"]
    for month, count in enumerate(LAST_YEAR, start=1):
        acquire_many(ani, datetime.date(2021, month, 8), count)
    for month in range(1, 7):
        acquire_many(ani, datetime.date(2022, month, 8), 2)
    acquire_many(budi, datetime.date(2022, 4, 20), 3)
    for month in (4, 5, 6):
        acquire(citra, datetime.date(2022, month, 15))
    return cilacap


def quotas(plan):
    return {
        office.code: (office.quota, {agent.code: agent.quota for agent in office.agents}) for office in plan.offices
    }


def test_what_remains_is_last_years_total_plus_one_minus_the_year_so_far(year):
    plan = acquisition_plan(scope=year["scope"], period=JUNE_2022)

    assert (plan.previous_full_year, plan.year_to_date, plan.remaining) == (48, 18, 31)
    assert (plan.months_remaining, plan.needed_per_month) == (6, 6)


def test_quotas_add_up_exactly_and_follow_each_ones_recent_pace(year):
    plan = acquisition_plan(scope=year["scope"], period=JUNE_2022)

    # Pace April–June: north 9 (Ani 6, Budi 3), south 3 (Citra): 31 × 9/12 = 23.25 and 31 × 3/12 = 7.75.
    assert quotas(plan) == {"CLP-N": (23, {"ANI": 15, "BUDI": 8}), "CLP-S": (8, {"CITRA": 8})}
    assert plan.assigned == plan.remaining == 31 and plan.unassigned == 0
    north = plan.offices[0]
    assert (north.recent, str(north.pace)) == (9, "3.0")


def test_the_months_ahead_follow_last_years_shape_and_add_up_to_what_remains(year):
    plan = acquisition_plan(scope=year["scope"], period=JUNE_2022)

    assert [month.last_year for month in plan.months] == [4, 4, 4, 8, 8, 8]
    assert [month.planned for month in plan.months] == [4, 3, 3, 7, 7, 7]  # 31 × 4/36 = 3.4, 31 × 8/36 = 6.9
    assert plan.months[0].month == datetime.date(2022, 7, 1)


def test_the_network_it_takes_at_todays_output_per_active_agent(year):
    plan = acquisition_plan(scope=year["scope"], period=JUNE_2022)

    # April to June: 12 acquisitions by 3 agents over 3 months, 4/3 a month each; 6 a month needed.
    assert (plan.active_agents, str(plan.per_active_agent)) == (3, "1.3")
    assert (plan.agents_needed, plan.more_agents_needed) == (5, 2)
    assert plan.at_recent_pace == 24


def test_the_agents_at_risk_and_what_reactivating_them_would_bring(year):
    plan = acquisition_plan(scope=year["scope"], period=JUNE_2022)

    # Budi: nothing in May and June (the two months that make an agent at risk), 3 in February to April.
    assert [(agent.code, agent.before, str(agent.pace)) for agent in plan.silent] == [("BUDI", 3, "1.0")]
    assert (str(plan.reactivation_per_month), plan.reactivation_rest_of_year) == ("1.0", 6)


def test_an_agent_who_left_gets_nothing_and_an_office_without_agents_is_listed_with_none(year):
    dani = AgentFactory(branch=year["branch"], office=year["south"], code="DANI", joined_on=datetime.date(2020, 1, 6))
    acquire_many(dani, datetime.date(2022, 5, 3), 6)
    leave(dani, datetime.date(2022, 6, 15))
    PerisaiOfficeFactory(branch=year["branch"], code="CLP-X")

    plan = acquisition_plan(scope=year["scope"], period=JUNE_2022)

    # Dani's 6 count in the year so far (31 − 6 = 25 remain), but he brings nothing ahead.
    assert quotas(plan) == {"CLP-N": (19, {"ANI": 13, "BUDI": 6}), "CLP-S": (6, {"CITRA": 6}), "CLP-X": (0, {})}
    assert plan.active_agents == 3


def test_nobody_acquiring_recently_splits_what_remains_evenly_over_the_agents(cilacap):
    for month, count in enumerate(LAST_YEAR, start=1):
        acquire_many(cilacap["ani"], datetime.date(2021, month, 8), count)

    plan = acquisition_plan(scope=cilacap["scope"], period=JUNE_2022)

    assert plan.even_split and plan.remaining == 49
    assert quotas(plan) == {"CLP-N": (33, {"ANI": 17, "BUDI": 16}), "CLP-S": (16, {"CITRA": 16})}
    assert plan.agents_needed is None and plan.silent == []


def test_an_office_scope_plans_for_the_office_and_its_agents(year):
    north = Scope(branch=year["branch"], office=year["north"])

    plan = acquisition_plan(scope=north, period=JUNE_2022)

    assert (plan.previous_full_year, plan.year_to_date, plan.remaining) == (48, 15, 34)
    assert quotas(plan) == {"CLP-N": (34, {"ANI": 23, "BUDI": 11})}


def test_after_last_year_is_beaten_or_in_december_there_is_nothing_to_share(year):
    beaten = acquisition_plan(scope=year["scope"], period=Period(2021, 12))
    assert beaten.months == [] and beaten.needed_per_month is None
    assert all(office.quota == 0 for office in beaten.offices)
    acquire_many(year["ani"], datetime.date(2022, 6, 9), 31)
    plan = acquisition_plan(scope=year["scope"], period=JUNE_2022)
    assert plan.beaten and plan.remaining == 0
    assert [month.planned for month in plan.months] == [0] * 6
    assert plan.assigned == 0


def test_the_plan_takes_a_fixed_number_of_queries(year, django_assert_num_queries):
    for number in range(20):
        agent = AgentFactory(branch=year["branch"], office=year["south"], joined_on=datetime.date(2021, 1, 4))
        acquire(agent, datetime.date(2022, 4 + number % 3, 2))
    with django_assert_num_queries(6):
        plan = acquisition_plan(scope=year["scope"], period=JUNE_2022)
    assert plan.agents == 23 and plan.assigned == plan.remaining


# --- the command ----------------------------------------------------------------------------------


def run(*args):
    out = io.StringIO()
    call_command("acquisition_plan", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_office_quotas_adding_up_and_each_offices_agents(year):
    output = run("--branch", "CLP", "--through", "2022-06")

    assert "Still needed: 48 + 1 - 18 = 31." in output
    lines = [line.split() for line in output.splitlines()]
    offices = {line[0]: int(line[-1]) for line in lines if line and line[0] in ("CLP-N", "CLP-S")}
    assert offices == {"CLP-N": 23, "CLP-S": 8}
    assert ["Total", "3", "12", "31"] in lines
    agents = {line[0]: int(line[-1]) for line in lines if line and line[0] in ("ANI", "BUDI", "CITRA")}
    assert agents == {"ANI": 15, "BUDI": 8, "CITRA": 8}
    assert (
        output.index("Agents of CLP-N") < output.index("ANI") < output.index("Agents of CLP-S") < output.index("CITRA")
    )
    assert "Months ahead (following last year's months): Jul 4, Aug 3, Sep 3, Oct 7, Nov 7, Dec 7." in output
    assert "3 active agents on 2022-06-30" in output and "2 more" in output


def test_the_command_refuses_an_unknown_branch_and_a_bad_month(year):
    with pytest.raises(CommandError, match="Unknown branch 'XYZ'"):
        run("--branch", "XYZ", "--through", "2022-06")
    for bad in ("2022-13", "June"):
        with pytest.raises(CommandError):
            run("--branch", "CLP", "--through", bad)


# --- the page and the workbook --------------------------------------------------------------------


@pytest.fixture
def staff_client(client, year):
    client.force_login(UserFactory(role=User.Role.STAFF, branch=year["branch"]))
    return client


# The signed-in request's own (session, user, branch; the session saved again, in a savepoint), the default
# period, the permissions the navigation asks (2), the selectors' offices and agents, the plan (6) and the
# months against the target (1 more: the targets; the monthly counts are the plan's).
PAGE_QUERIES = 18


def test_the_page_shows_what_remains_and_the_quotas(staff_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = staff_client.get(reverse("reports:plan"), {"through": "2022-06"}, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="plan-remaining">31<' in page and "48 + 1 − 18" in page
    assert 'id="plan-assigned">31<' in page and 'id="plan-more-agents">2<' in page
    assert 'id="plan-reactivation">6<' in page
    assert "Budi" in page and "Plan to beat 2021" in page


def test_the_page_takes_as_many_queries_with_many_more_agents(staff_client, year, django_assert_max_num_queries):
    for number in range(40):
        agent = AgentFactory(branch=year["branch"], office=year["south"], joined_on=datetime.date(2021, 1, 4))
        acquire(agent, datetime.date(2022, 4 + number % 3, 2))
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = staff_client.get(reverse("reports:plan"), {"through": "2022-06"})
    assert len(response.context["plan"].offices[0].agents) == 41


def test_the_page_refuses_another_branchs_office_and_shows_the_users_own_branch(staff_client, banyumas):
    response = staff_client.get(reverse("reports:plan"), {"office": "BMS-1"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["selection"].scope.office is None
    assert response.context["plan"].offices[0].code == "CLP-N"
    page = response.content.decode()
    assert "Office BMS-1 is not one you may see. Showing everything you may see instead." in page
    assert banyumas["office"].name not in page and banyumas["agent"].code not in page


def test_an_agent_may_not_open_the_plan(client, year):
    login = UserFactory(role=User.Role.AGENT, branch=year["branch"])
    Agent.objects.filter(pk=year["ani"].pk).update(user=login)
    client.force_login(login)
    assert client.get(reverse("reports:plan")).status_code == 403


def test_the_workbook_has_the_plan_and_the_months_against_the_target(staff_client, year):
    AcquisitionTargetFactory(branch=year["branch"], year=2022, target=60)

    response = staff_client.get(reverse("reports:workbook"), {"through": "2022-06"}, HTTP_ACCEPT_LANGUAGE="en")

    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:4] == ["Summary", "Charts", "Plan", "Target by month"]
    rows = [row for row in book["Plan"].iter_rows(values_only=True) if any(cell is not None for cell in row)]
    assert ("Still needed to beat 2021", 31, None, None, None, None) in rows
    offices = rows.index(("Quotas per office",) + (None,) * 5)
    assert rows[offices + 2][:5] == ("CLP-N", year["north"].name, 2, 9, 23)
    assert rows[offices + 3][:5] == ("CLP-S", year["south"].name, 1, 3, 8)
    assert rows[offices + 4][:5] == ("Total", None, 3, 12, 31)
    agents = rows.index(("Quotas per agent",) + (None,) * 5)
    assert [row[2:] for row in rows[agents + 2 : agents + 5]] == [
        ("ANI", "Ani", 6, 15),
        ("BUDI", "Budi", 3, 8),
        ("CITRA", year["citra"].full_name, 3, 8),
    ]
    months = list(book["Target by month"].iter_rows(min_row=2, max_row=13, values_only=True))
    # 60 spread as 2021 went (a twelfth of 2021 in each of January to June): 3, 2, 3, 2, 3, 2.
    assert [row[2] for row in months[:6]] == [3, 2, 3, 2, 3, 2]
    assert [row[1] for row in months[:6]] == [2, 2, 2, 6, 3, 3]
    assert [row[6] for row in months[:6]] == ["Yes", "No", "Yes", "No", "No", "No"]
    assert book["Target by month"]["A2"].fill.fgColor.rgb.endswith("FDE68A")


def test_in_january_the_recent_months_reach_back_into_last_year(year):
    plan = acquisition_plan(scope=year["scope"], period=Period(2022, 1))

    assert plan.pace_from == datetime.date(2021, 11, 1)
    assert plan.recent == 8 + 8 + 2  # Ani's November, December and January
    assert plan.agent_months == 9 and plan.window_acquisitions == 18
    assert plan.remaining == 48 + 1 - 2 and plan.assigned == plan.remaining


def test_the_plan_of_a_month_still_running_points_to_the_plan_made_when_the_last_month_ended(client, cilacap):
    today = timezone.localdate()
    acquire(cilacap["ani"], today)
    client.force_login(UserFactory(role=User.Role.STAFF, branch=cilacap["branch"]))

    page = client.get(reverse("reports:plan"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f"{today:%B %Y} is still running" in page
    earlier = today.replace(day=1) - datetime.timedelta(days=1)
    assert (f"through={earlier:%Y-%m}" in page) == (today.month > 1)  # no plan of last December's year


def test_the_plan_of_a_finished_month_has_no_such_notice(client, cilacap):
    acquire(cilacap["ani"], datetime.date(2022, 6, 2))
    client.force_login(UserFactory(role=User.Role.STAFF, branch=cilacap["branch"]))

    page = client.get(reverse("reports:plan"), {"through": "2022-06"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "still running" not in page
