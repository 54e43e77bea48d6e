"""The targets pages: staff set and change targets with a monthly split, the head reads, others get nothing."""

from django.urls import reverse

from agents.models import Agent, User
from enrollment.models import AcquisitionTarget, AcquisitionTargetChange
from enrollment.targets import target_set
from tests.factories import AcquisitionFactory, AcquisitionTargetFactory, AgentFactory, UserFactory

EVEN_1000 = [84, 84, 84, 84, 83, 83, 83, 83, 83, 83, 83, 83]


def _form(target, months=None):
    data = {"target": str(target)}
    for month, value in enumerate(months or [""] * 12, start=1):
        data[f"month_{month}"] = str(value)
    return data


def test_the_year_page_lists_the_branch_its_offices_and_agents_with_their_targets(staff_client, branch, agent):
    AcquisitionTargetFactory(branch=branch, year=2023, target=6000)
    AcquisitionTargetFactory(branch=branch, year=2023, agent=agent, target=240)
    response = staff_client.get(reverse("targets:year"), {"year": "2023"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Targets 2023" in page
    assert "6,000" in page and "240" in page
    assert agent.full_name in page and agent.office.name in page
    assert response.context["branch_line"].target.target == 6000
    assert [line.target.target for line in response.context["agent_lines"]] == [240]
    assert response.context["agent_sum"] == 240


def test_achieved_so_far_counts_the_holders_acquisitions(staff_client, branch, agent, rate):
    AcquisitionTargetFactory(branch=branch, year=2022, agent=agent, target=120)
    AcquisitionFactory.create_batch(3, agent=agent, acquired_on="2022-03-10")
    response = staff_client.get(reverse("targets:year"), {"year": "2022"})
    (line,) = response.context["agent_lines"]
    assert line.achieved == 3


def test_staff_set_a_new_target_split_by_month(staff_client, branch, agent, staff):
    url = f"{reverse('targets:target_create')}?year=2023&agent={agent.pk}"
    response = staff_client.post(url, _form(1000, EVEN_1000), follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('targets:year')}?year=2023"
    target = AcquisitionTarget.objects.get(agent=agent)
    assert target.target == 1000
    assert list(target.months.values_list("acquisitions", flat=True)) == EVEN_1000
    assert f"The 2023 target of {agent.code} — {agent.full_name} is now 1,000." in response.content.decode()
    assert AcquisitionTargetChange.objects.get().changed_by == staff


def test_spreading_evenly_fills_the_months_without_saving(staff_client, branch):
    url = f"{reverse('targets:target_create')}?year=2023"
    response = staff_client.post(url, {**_form(1000), "spread": "even"})
    assert response.status_code == 200
    assert not AcquisitionTarget.objects.exists()
    form = response.context["form"]
    assert [form[f"month_{month}"].value() for month in range(1, 13)] == [str(value) for value in EVEN_1000]


def test_months_that_do_not_add_up_are_shown_and_nothing_is_saved(staff_client, branch):
    url = f"{reverse('targets:target_create')}?year=2023"
    response = staff_client.post(url, _form(1300, [100] * 12))
    assert response.status_code == 200
    assert "The 12 months add up to 1,200, not to the yearly target of 1,300." in response.content.decode()
    assert not AcquisitionTarget.objects.exists()


def test_some_months_filled_and_others_empty_is_refused(staff_client, branch):
    url = f"{reverse('targets:target_create')}?year=2023"
    response = staff_client.post(url, _form(1200, [100] * 6 + [""] * 6))
    assert "Fill in all 12 months, or leave them all empty" in response.content.decode()
    assert not AcquisitionTarget.objects.exists()


def test_the_new_target_page_of_a_holder_with_one_opens_it(staff_client, branch, office):
    target = AcquisitionTargetFactory(branch=branch, year=2023, office=office)
    response = staff_client.get(reverse("targets:target_create"), {"year": "2023", "office": office.pk})
    assert response.url == reverse("targets:target_edit", args=[target.pk])


def test_staff_change_a_target_and_see_its_history(staff_client, branch, office, staff):
    target_set(branch=branch, year=2023, office=office, target=500, by=staff)
    target = AcquisitionTarget.objects.get()
    staff_client.post(reverse("targets:target_edit", args=[target.pk]), _form(700))
    target.refresh_from_db()
    assert target.target == 700
    page = staff_client.get(reverse("targets:target_edit", args=[target.pk])).content.decode()
    assert "History of this target" in page
    assert "Rina Wulandari" in page and "Changed" in page


def test_staff_remove_a_target_and_the_history_page_still_shows_it(staff_client, branch, office, staff):
    target_set(branch=branch, year=2023, office=office, target=500, by=staff)
    target = AcquisitionTarget.objects.get()
    response = staff_client.post(reverse("targets:target_remove", args=[target.pk]), follow=True)
    assert "was removed; the history keeps what it was." in response.content.decode()
    assert not AcquisitionTarget.objects.exists()
    history = staff_client.get(reverse("targets:history"), {"year": "2023"})
    assert [change.kind for change in history.context["page_obj"]] == ["removed", "set"]
    assert office.name in history.content.decode()


def test_the_head_reads_targets_but_cannot_change_them(head_client, branch, office):
    target = AcquisitionTargetFactory(branch=branch, year=2023, office=office, target=500)
    page = head_client.get(reverse("targets:year"), {"year": "2023"})
    assert page.status_code == 200
    assert reverse("targets:target_edit", args=[target.pk]) not in page.content.decode()
    assert reverse("targets:target_create") not in page.content.decode()
    assert head_client.get(reverse("targets:history"), {"year": "2023"}).status_code == 200
    assert head_client.get(reverse("targets:target_edit", args=[target.pk])).status_code == 403
    assert head_client.post(reverse("targets:target_edit", args=[target.pk]), _form(900)).status_code == 403
    assert head_client.post(reverse("targets:target_remove", args=[target.pk])).status_code == 403
    create = f"{reverse('targets:target_create')}?year=2023"
    assert head_client.post(create, _form(900)).status_code == 403
    assert head_client.get(reverse("targets:import_upload")).status_code == 403
    target.refresh_from_db()
    assert target.target == 500
    assert not AcquisitionTargetChange.objects.exists()


def test_an_agent_does_not_find_the_targets_pages(client, agent):
    agent.user = UserFactory(role=User.Role.AGENT, branch=agent.branch)
    agent.save()
    client.force_login(agent.user)
    assert client.get(reverse("targets:year")).status_code == 404
    assert client.get(reverse("targets:history")).status_code == 404


def test_another_branchs_office_agent_and_target_are_404_and_nothing_changes(staff_client, other_branch):
    their_branch, their_office, their_agent = other_branch
    target = AcquisitionTargetFactory(branch=their_branch, year=2023, office=their_office, target=500)
    create = reverse("targets:target_create")
    assert staff_client.post(f"{create}?year=2023&office={their_office.pk}", _form(900)).status_code == 404
    assert staff_client.post(f"{create}?year=2023&agent={their_agent.pk}", _form(900)).status_code == 404
    assert staff_client.post(reverse("targets:target_edit", args=[target.pk]), _form(900)).status_code == 404
    assert staff_client.post(reverse("targets:target_remove", args=[target.pk])).status_code == 404
    assert staff_client.get(reverse("targets:year"), {"branch": their_branch.code}).status_code == 404
    target.refresh_from_db()
    assert target.target == 500
    assert AcquisitionTarget.objects.count() == 1
    assert not AcquisitionTargetChange.objects.exists()


def test_a_year_perisai_does_not_accept_is_a_404(staff_client, branch):
    assert staff_client.get(reverse("targets:year"), {"year": "1999"}).status_code == 404
    assert staff_client.get(reverse("targets:year"), {"year": "abc"}).status_code == 404


def test_a_national_administrator_picks_the_branch(client, branch, other_branch, settings):
    admin = UserFactory(role=User.Role.ADMIN, branch=None)
    client.force_login(admin)
    AcquisitionTargetFactory(branch=other_branch[0], year=2023, target=4321)
    response = client.get(reverse("targets:year"), {"year": "2023", "branch": "BMS"})
    assert response.context["branch"] == other_branch[0]
    assert response.context["branch_line"].target.target == 4321


def test_the_year_page_needs_the_same_queries_for_many_agents(
    staff_client, branch, office, staff, django_assert_max_num_queries
):
    def add_agents(count):
        for agent in AgentFactory.create_batch(count, branch=branch, office=office):
            target_set(branch=branch, year=2023, agent=agent, target=120, months=[10] * 12, by=staff)

    add_agents(2)
    with django_assert_max_num_queries(15) as few:
        staff_client.get(reverse("targets:year"), {"year": "2023"})
    add_agents(10)
    assert Agent.objects.count() == 12
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(reverse("targets:year"), {"year": "2023"})


def test_the_history_page_needs_the_same_queries_for_many_changes(
    staff_client, branch, office, staff, django_assert_max_num_queries
):
    target_set(branch=branch, year=2023, office=office, target=100, by=staff)
    with django_assert_max_num_queries(10) as few:
        staff_client.get(reverse("targets:history"), {"year": "2023"})
    for figure in range(101, 120):
        target_set(branch=branch, year=2023, office=office, target=figure, by=staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(reverse("targets:history"), {"year": "2023"})


def test_spreading_again_replaces_months_that_no_longer_add_up(staff_client, branch):
    url = f"{reverse('targets:target_create')}?year=2023"
    response = staff_client.post(url, {**_form(1000, [100] * 12), "spread": "even"})
    form = response.context["form"]
    assert [form[f"month_{month}"].value() for month in range(1, 13)] == [str(value) for value in EVEN_1000]
    assert not form.errors
    assert not AcquisitionTarget.objects.exists()
