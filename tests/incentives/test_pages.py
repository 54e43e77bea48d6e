"""The incentive pages: who may open what, another branch's ids, bad months, fixed query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agents.models import User
from tests.factories import AcquisitionFactory, AgentFactory, UserFactory
from tests.incentives.builders import acquire, pay, scheme_april_2022, signed_in

pytestmark = pytest.mark.django_db

INDEX = reverse("incentives:index")
MARCH = {"month": "2022-03"}


def statement_url(agent, download=False):
    name = "incentives:agent_statement_download" if download else "incentives:agent_statement"
    return reverse(name, args=[agent.pk])


@pytest.fixture
def paid_march(agent, scheme):
    acquisition = AcquisitionFactory(agent=agent, acquired_on=datetime.date(2022, 3, 4))
    pay(acquisition, period=datetime.date(2022, 3, 1), paid_on=datetime.date(2022, 3, 4))
    return acquisition


def test_staff_see_the_sheet_with_its_total_row(staff_client, agent, paid_march):
    response = staff_client.get(INDEX, MARCH)
    page = response.content.decode()

    assert response.status_code == 200
    assert "Agent incentives — Cilacap, March 2022" in page
    assert agent.full_name in page
    assert 'id="incentive-total"' in page and "Rp\xa01,260" in page
    assert "Insentif 2021–2022: Fee 7.5% of the contributions paid in the month" in page


def test_the_head_reads_the_sheet_and_the_statements(head_client, agent, paid_march):
    assert head_client.get(INDEX, MARCH).status_code == 200
    assert head_client.get(statement_url(agent), MARCH).status_code == 200
    assert head_client.get(reverse("incentives:scheme_list")).status_code == 200


def test_the_statement_lists_the_contributions_that_count(staff_client, agent, paid_march):
    page = staff_client.get(statement_url(agent), MARCH).content.decode()

    assert paid_march.participant.full_name in page
    assert 'id="statement-fee"' in page and "Rp\xa01,260" in page
    assert "not earned (needs 50 new participants)" in page


def test_without_a_month_the_latest_month_with_acquisitions_is_shown(staff_client, agent, paid_march):
    assert staff_client.get(INDEX).context["sheet"].month == datetime.date(2022, 3, 1)


@pytest.mark.parametrize("month", ["2022-13", "March", "1999-12", "2022-3-1"])
def test_a_bad_month_is_a_clear_message_and_a_400(staff_client, agent, paid_march, month):
    for url in (INDEX, reverse("incentives:index_download"), statement_url(agent), statement_url(agent, True)):
        response = staff_client.get(url, {"month": month})
        assert response.status_code == 400
        assert "Give the month as YYYY-MM" in response.content.decode()


def test_agents_get_404_except_on_their_own_statement(agent, agent_client, office, paid_march):
    colleague = AgentFactory(branch=office.branch, office=office)

    assert agent_client.get(INDEX).status_code == 404
    assert agent_client.get(reverse("incentives:index_download")).status_code == 404
    assert agent_client.get(reverse("incentives:scheme_list")).status_code == 404
    assert agent_client.get(statement_url(agent), MARCH).status_code == 200
    assert agent_client.get(statement_url(agent, True), MARCH).status_code == 200
    assert agent_client.get(statement_url(colleague), MARCH).status_code == 404
    assert agent_client.get(statement_url(colleague, True), MARCH).status_code == 404


def test_another_branchs_agent_is_404(staff_client, head_client, other_agent, scheme):
    for client in (staff_client, head_client):
        assert client.get(statement_url(other_agent)).status_code == 404
        assert client.get(statement_url(other_agent, True)).status_code == 404


def test_a_national_administrator_picks_the_branch(national_admin, agent, other_agent, paid_march):
    client = signed_in(national_admin)

    cilacap = client.get(INDEX, {**MARCH, "branch": "CLP"})
    banyumas = client.get(INDEX, {**MARCH, "branch": "BMS"})

    assert cilacap.context["sheet"].branch == agent.branch
    assert banyumas.context["sheet"].branch == other_agent.branch
    assert client.get(statement_url(other_agent)).status_code == 200


def test_signed_out_users_are_sent_to_sign_in(client, agent):
    for url in (INDEX, statement_url(agent)):
        assert client.get(url)["Location"].startswith(reverse("login"))


def test_a_user_without_a_role_permission_is_refused(branch, agent):
    nobody = UserFactory(role="", branch=branch)

    assert signed_in(nobody).get(INDEX).status_code == 403


def test_only_administrators_are_offered_to_change_schemes(staff_client, national_admin, scheme):
    staff_page = staff_client.get(reverse("incentives:scheme_list")).content.decode()
    admin_page = signed_in(national_admin).get(reverse("incentives:scheme_list")).content.decode()

    assert "Insentif 2021–2022" in staff_page and "Add a scheme" not in staff_page
    assert "Add a scheme" in admin_page
    assert reverse("admin:incentives_incentivescheme_change", args=[scheme.pk]) in admin_page


def test_an_administrator_of_one_branch_is_not_offered_the_national_tables_the_admin_refuses_them(branch, scheme):
    branch_admin = signed_in(UserFactory(role=User.Role.ADMIN, branch=branch, is_staff=True))

    page = branch_admin.get(reverse("incentives:scheme_list")).content.decode()

    assert "Add a scheme" not in page and "Add terms" not in page
    assert reverse("admin:incentives_incentivescheme_change", args=[scheme.pk]) not in page
    assert branch_admin.get(reverse("admin:incentives_incentivescheme_add")).status_code == 403


def test_only_administrators_are_offered_to_add_and_change_programme_terms(staff_client, national_admin, terms):
    staff_page = staff_client.get(reverse("incentives:scheme_list")).content.decode()
    admin_page = signed_in(national_admin).get(reverse("incentives:scheme_list")).content.decode()

    assert terms.name in staff_page and "Add terms" not in staff_page
    assert reverse("admin:agents_programmeterms_add") in admin_page
    assert reverse("admin:agents_programmeterms_change", args=[terms.pk]) in admin_page


def test_staff_read_schemes_in_the_administration_but_do_not_change_them(staff, national_admin, scheme):
    staff.is_staff = True
    staff.save()
    change = reverse("admin:incentives_incentivescheme_change", args=[scheme.pk])

    assert signed_in(staff).get(change).status_code == 200
    assert signed_in(staff).post(change, {"name": "Diubah"}).status_code == 403
    assert signed_in(national_admin).get(reverse("admin:incentives_incentivescheme_add")).status_code == 200


def test_the_sheet_page_takes_a_fixed_number_of_queries(
    staff_client, branch, office, scheme, django_assert_max_num_queries
):
    def seed(count):
        for agent in AgentFactory.create_batch(count, branch=branch, office=office):
            acquisition = AcquisitionFactory(agent=agent, acquired_on=datetime.date(2022, 3, 2))
            pay(acquisition, period=datetime.date(2022, 3, 1), paid_on=datetime.date(2022, 3, 2))

    seed(2)
    with django_assert_max_num_queries(16) as few:  # the sheet's eight, the signed-in request, the form
        staff_client.get(INDEX, MARCH)
    seed(25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get(INDEX, MARCH)
    assert len(response.context["sheet"].rows) == 27


def test_the_statement_page_takes_a_fixed_number_of_queries(staff_client, agent, scheme, django_assert_max_num_queries):
    def seed(count):
        for _ in range(count):
            acquisition = AcquisitionFactory(agent=agent, acquired_on=datetime.date(2022, 3, 2))
            pay(acquisition, period=datetime.date(2022, 3, 1), paid_on=datetime.date(2022, 3, 2))

    seed(2)
    with django_assert_max_num_queries(14) as few:
        staff_client.get(statement_url(agent), MARCH)
    seed(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get(statement_url(agent), MARCH)
    assert len(response.context["statement"].lines) == 22


def test_the_agents_page_shows_activity_and_earnings(staff_client, agent, paid_march, terms):
    page = staff_client.get(reverse("agents:agent_detail", args=[agent.pk])).content.decode()

    assert "Activity as of March 2022" in page
    assert 'id="agent-earnings"' in page and "Rp\xa01,260" in page
    assert f"{statement_url(agent)}?month=2022-03" in page


def test_the_agent_list_filters_by_activity(staff_client, branch, office, terms):
    quiet = AgentFactory(branch=branch, office=office, joined_on=datetime.date(2021, 1, 1), full_name="Sepi")
    busy = AgentFactory(branch=branch, office=office, joined_on=datetime.date(2021, 1, 1), full_name="Ramai")
    AcquisitionFactory(agent=quiet, acquired_on=datetime.date(2022, 4, 20))
    AcquisitionFactory(agent=busy, acquired_on=datetime.date(2022, 6, 20))

    at_risk = staff_client.get(reverse("agents:agent_list"), {"activity": "at_risk"})

    assert [agent.full_name for agent in at_risk.context["page_obj"]] == ["Sepi"]
    assert "since June 2022" in at_risk.content.decode()
    assert "Activity as of June 2022" in at_risk.content.decode()


def test_the_download_takes_a_fixed_number_of_queries(
    staff_client, branch, office, scheme, django_assert_max_num_queries
):
    def seed(count):
        for agent in AgentFactory.create_batch(count, branch=branch, office=office):
            acquisition = AcquisitionFactory(agent=agent, acquired_on=datetime.date(2022, 3, 2))
            pay(acquisition, period=datetime.date(2022, 3, 1), paid_on=datetime.date(2022, 3, 2))

    seed(2)
    with django_assert_max_num_queries(19) as few:  # the sheet's eight and the statements' three
        staff_client.get(reverse("incentives:index_download"), MARCH)
    seed(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get(reverse("incentives:index_download"), MARCH)
    assert response.status_code == 200


def test_a_2022_statement_page_shows_each_rate_the_packages_and_the_new_participants(staff_client, agent):
    scheme_april_2022()
    old = AcquisitionFactory(agent=agent, acquired_on=datetime.date(2020, 3, 2))  # May 2022 is month 27
    pay(old, period=datetime.date(2022, 5, 1), paid_on=datetime.date(2022, 5, 4))
    for acquisition in acquire(agent, datetime.date(2022, 5, 9), count=3, with_jht=True):
        pay(acquisition, period=datetime.date(2022, 5, 1), paid_on=datetime.date(2022, 5, 9))

    page = staff_client.get(statement_url(agent), {"month": "2022-05"}).content.decode()

    assert "Membership months 1–24 (years 1–2) at 15.0%" in page
    assert "Membership months 25–60 (years 3–5) at 5.0%" in page
    assert '27 <span class="small text-body-secondary">(year 3)</span>' in page
    assert "Three programmes (JKK, JKM, JHT): 3 × Rp\xa015,000" in page
    assert "not earned (needs 25 new participants)" in page
    assert page.count("Collected by agent") == 4
    # 3 × 36.800 at 15% = 16.560 and 16.800 at 5% = 840.
    assert 'id="statement-fee">Rp\xa017,400<' in page


def test_the_schemes_page_lists_the_tiers_and_the_fees(staff_client, scheme, terms):
    scheme_2022 = scheme_april_2022(effective_from=datetime.date(2023, 1, 1))

    page = staff_client.get(reverse("incentives:scheme_list")).content.decode()

    assert scheme_2022.name in page
    assert "Membership months 25–60 (years 3–5)" in page and "Membership month 61 on" in page
    assert "Rp\xa015,000 each" in page and "Rp\xa010,000 each" in page


def test_my_earnings_show_the_fees_per_new_participant(agent, agent_client):
    scheme_april_2022()
    today = timezone.localdate()
    acquire(agent, today, count=25)

    page = agent_client.get(reverse("enrollment:my_performance")).content.decode()

    assert "Fees per new participant" in page and "Rp\xa0250,000" in page
    assert f"{statement_url(agent)}?month={today:%Y-%m}" in page
