"""Fixtures for incentives: the published terms as rows, signed-in clients, helpers that build exact months."""

import datetime
from decimal import Decimal

import pytest

from agents.models import ProgrammeTerms, User
from tests.factories import AgentFactory, BranchFactory, PerisaiOfficeFactory, UserFactory
from tests.incentives.builders import flat_scheme, signed_in


@pytest.fixture
def scheme(db):
    """The published 2021-2022 scheme: 7.5% of contributions paid, Rp 500.000 from 50 new participants."""
    return flat_scheme(
        name="Insentif 2021–2022",
        effective_from=datetime.date(2021, 1, 1),
        effective_to=datetime.date(2022, 12, 31),
        rate=Decimal("0.0750"),
        acquisition_minimum=50,
        bonus_amount=Decimal(500_000),
    )


@pytest.fixture
def terms(db):
    """At risk after 2 silent months, inactive after 3, back 6 months after an inactivity deactivation;
    offices warned after 2 months under their minimum, PKS at risk after 3."""
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
def staff(branch):
    return UserFactory(role=User.Role.STAFF, branch=branch)


@pytest.fixture
def head(branch):
    return UserFactory(role=User.Role.HEAD, branch=branch)


@pytest.fixture
def staff_client(staff):
    return signed_in(staff)


@pytest.fixture
def head_client(head):
    return signed_in(head)


@pytest.fixture
def national_admin(db):
    return UserFactory(role=User.Role.ADMIN, branch=None, is_staff=True)


@pytest.fixture
def agent_user(agent):
    login = UserFactory(role=User.Role.AGENT, branch=agent.branch)
    agent.user = login
    agent.save()
    return login


@pytest.fixture
def agent_client(agent_user):
    return signed_in(agent_user)


@pytest.fixture
def other_branch(db):
    return BranchFactory(code="BMS", name="Banyumas")


@pytest.fixture
def other_agent(other_branch):
    return AgentFactory(branch=other_branch, office=PerisaiOfficeFactory(branch=other_branch))
