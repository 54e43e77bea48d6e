"""The agent network month by month: active at month end, recruited, left, acquisitions per agent."""

import datetime
from decimal import Decimal

import pytest

from agents.scoping import Scope
from reports.network import agent_network
from reports.periods import Period
from tests.factories import AgentFactory
from tests.reports.conftest import acquire, leave

pytestmark = pytest.mark.django_db


def test_active_recruited_and_left_at_each_month_end(cilacap):
    branch, north = cilacap["branch"], cilacap["north"]
    AgentFactory(branch=branch, office=north, joined_on=datetime.date(2022, 1, 31))  # joins on a month end
    AgentFactory(branch=branch, office=north, joined_on=datetime.date(2022, 2, 1))
    leave(cilacap["budi"], datetime.date(2022, 2, 28))  # leaves on a month end: gone at that month end
    leave(cilacap["citra"], datetime.date(2022, 3, 1))
    acquire(cilacap["ani"], datetime.date(2022, 1, 10))
    acquire(cilacap["ani"], datetime.date(2022, 1, 11))
    acquire(cilacap["budi"], datetime.date(2022, 1, 12))

    network = agent_network(scope=cilacap["scope"], period=Period(2022, 3))
    january, february, march = network.months

    assert network.active_at_start == 3
    assert (january.active, january.recruited, january.left) == (4, 1, 0)
    assert (february.active, february.recruited, february.left) == (4, 1, 1)
    assert (march.active, march.recruited, march.left) == (3, 0, 1)
    assert (january.acquisitions, january.agents_acquiring, january.per_active_agent) == (3, 2, Decimal("0.8"))
    assert (network.active_at_end, network.recruited, network.left, network.acquisitions) == (3, 2, 2, 3)
    assert january.month_end == datetime.date(2022, 1, 31)


def test_network_of_an_office_and_of_an_agent(cilacap):
    north = Scope(branch=cilacap["branch"], office=cilacap["north"])
    only_ani = Scope(branch=cilacap["branch"], office=cilacap["north"], agent=cilacap["ani"])
    assert agent_network(scope=north, period=Period(2022, 1)).active_at_end == 2
    assert agent_network(scope=only_ani, period=Period(2022, 1)).active_at_end == 1


def test_months_without_agents_have_no_rate(cilacap):
    network = agent_network(scope=cilacap["scope"], period=Period(2019, 2))
    assert [month.active for month in network.months] == [0, 0]
    assert network.months[0].per_active_agent is None
