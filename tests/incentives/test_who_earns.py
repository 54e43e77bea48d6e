"""Who earns the fee: the agent credited with the payment, after a move the new agent, else the caretaker."""

import datetime
from decimal import Decimal

import pytest

from agents.models import Agent
from agents.services import agent_deactivate
from enrollment.services.participants import participants_move
from incentives.statements import agent_statement, incentive_sheet
from tests.factories import AcquisitionFactory, AgentFactory
from tests.incentives.builders import pay

pytestmark = pytest.mark.django_db

JANUARY, FEBRUARY, MARCH = (datetime.date(2022, month, 1) for month in (1, 2, 3))


@pytest.fixture
def successor(office):
    return AgentFactory(branch=office.branch, office=office, full_name="Penerus")


def test_an_agent_who_left_keeps_earlier_fees_and_the_new_agent_earns_after_the_move(
    agent, successor, staff, scheme, rate
):
    acquisition = AcquisitionFactory(agent=agent, acquired_on=datetime.date(2021, 12, 1))
    pay(acquisition, period=JANUARY, paid_on=datetime.date(2022, 1, 8))
    pay(acquisition, period=FEBRUARY, paid_on=datetime.date(2022, 2, 7))
    agent_deactivate(
        agent=agent,
        left_on=datetime.date(2022, 2, 15),
        reason=Agent.DeactivationReason.RESIGNED,
        today=datetime.date(2022, 2, 15),
    )
    participants_move(from_agent=agent, to_agent=successor, moved_by=staff, reason="Agen berhenti")
    acquisition.refresh_from_db()
    pay(acquisition, period=MARCH, paid_on=datetime.date(2022, 3, 9))  # credited to the caretaker now

    assert agent_statement(agent=agent, month=FEBRUARY).incentive.fee == Decimal(1_260)
    assert agent_statement(agent=agent, month=MARCH).incentive.contributions == 0
    assert agent_statement(agent=successor, month=MARCH).incentive.fee == Decimal(1_260)
    february = {row.agent: row.incentive for row in incentive_sheet(branch=agent.branch, month=FEBRUARY).rows}
    assert february[agent].fee == Decimal(1_260)  # listed: worked part of February
    march = {row.agent for row in incentive_sheet(branch=agent.branch, month=MARCH).rows}
    assert agent not in march and successor in march


def test_the_fee_follows_credited_to_even_when_the_participant_moved_later(agent, successor, scheme):
    acquisition = AcquisitionFactory(agent=agent, caretaker=successor, acquired_on=datetime.date(2021, 12, 1))
    pay(acquisition, period=MARCH, paid_on=datetime.date(2022, 3, 2), credited_to=agent)  # paid before the move

    assert agent_statement(agent=agent, month=MARCH).incentive.contributions == 1
    assert agent_statement(agent=successor, month=MARCH).incentive.contributions == 0


def test_a_contribution_recorded_without_credit_counts_for_the_caretaker(agent, successor, scheme):
    acquisition = AcquisitionFactory(agent=agent, caretaker=successor, acquired_on=datetime.date(2021, 12, 1))
    pay(acquisition, period=MARCH, paid_on=datetime.date(2022, 3, 2), credited_to=None)

    assert agent_statement(agent=agent, month=MARCH).incentive.contributions == 0
    assert agent_statement(agent=successor, month=MARCH).incentive.fee == Decimal(1_260)


def test_another_branchs_contributions_never_reach_the_sheet(agent, other_agent, scheme):
    pay(AcquisitionFactory(agent=other_agent), period=MARCH, paid_on=datetime.date(2022, 3, 2))

    sheet = incentive_sheet(branch=agent.branch, month=MARCH)

    assert other_agent not in {row.agent for row in sheet.rows}
    assert sheet.total.contributions == 0
