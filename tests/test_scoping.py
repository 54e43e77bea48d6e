"""``agents.scoping.for_user``: each role sees exactly its own rows."""

import pytest

from agents.models import Agent, Branch, User
from agents.scoping import for_user
from enrollment.models import Acquisition
from tests.factories import AcquisitionFactory, AgentFactory, BranchFactory, PerisaiOfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_branches(rate):
    cilacap, banyumas = BranchFactory(code="CLP"), BranchFactory(code="BMS")
    rows = {}
    for branch in (cilacap, banyumas):
        office = PerisaiOfficeFactory(branch=branch)
        agent = AgentFactory(branch=branch, office=office)
        rows[branch.code] = AcquisitionFactory(agent=agent, rate=rate)
    return cilacap, banyumas, rows


def test_branch_staff_see_only_their_branch(two_branches):
    cilacap, _, rows = two_branches
    staff = UserFactory(role=User.Role.STAFF, branch=cilacap)
    assert list(for_user(Acquisition.objects.all(), staff)) == [rows["CLP"]]
    assert list(for_user(Branch.objects.all(), staff, branch_path=None)) == [cilacap]


def test_national_administrator_sees_every_branch(two_branches):
    admin = UserFactory(role=User.Role.ADMIN, branch=None)
    assert for_user(Acquisition.objects.all(), admin).count() == 2


def test_agent_sees_only_what_the_agent_path_leads_to(two_branches):
    cilacap, _, rows = two_branches
    own = rows["CLP"]
    colleague = AcquisitionFactory(agent=AgentFactory(branch=cilacap, office=own.office), rate=own.rate)
    login = UserFactory(role=User.Role.AGENT, branch=cilacap)
    Agent.objects.filter(pk=own.agent.pk).update(user=login)

    assert list(for_user(Acquisition.objects.all(), login, agent_path="caretaker")) == [own]
    assert colleague not in for_user(Acquisition.objects.all(), login, agent_path="caretaker")
    assert not for_user(Acquisition.objects.all(), login).exists()


def test_user_without_branch_who_is_not_national_sees_nothing(two_branches):
    orphan = User(username="orphan", role=User.Role.STAFF, branch=None)
    assert not for_user(Acquisition.objects.all(), orphan).exists()
