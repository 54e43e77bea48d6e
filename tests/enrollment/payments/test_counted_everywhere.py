"""Once the payments file is imported, every figure sees the channels' payments as it sees an agent's:
continuity, the lapsed list, the agent's own list, the fee statement, and the rollups behind them."""

import datetime
from decimal import Decimal

import pytest

from agents.scoping import Scope
from enrollment.models import Acquisition
from enrollment.paying import PaymentStatus, with_payment_status
from enrollment.services.payments import payment_import_confirm, payment_import_create
from incentives.statements import agent_statement
from reports.continuity import lapsed_participants, participant_standing
from reports.periods import Period
from tests.enrollment.payments.conftest import TODAY, agent_recorded, csv_file, payment
from tests.incentives.builders import flat_scheme
from tests.reports.test_rollups import assert_rollups_equal_raw

JUNE = Period(2022, 6)


@pytest.fixture
def paying_by_bank(branch, enrolled):
    """A worker enrolled in January 2022 who paid January to the agent and February to June at a bank."""
    acquisition = enrolled(acquired_on=datetime.date(2022, 1, 10))
    agent_recorded(acquisition, datetime.date(2022, 1, 1))
    rows = [
        payment(acquisition, periode=f"2022-{month:02d}", tanggal_bayar=f"05-{month:02d}-2022") for month in range(2, 7)
    ]
    return acquisition, rows


def import_file(rows, branch):
    pending = payment_import_create(upload=csv_file(rows), branch=branch, today=TODAY)
    return payment_import_confirm(payment_import=pending, today=TODAY)


def test_a_worker_paying_at_the_bank_is_current_not_lapsed(branch, paying_by_bank):
    acquisition, rows = paying_by_bank
    scope = Scope(branch=branch)
    before = participant_standing(scope=scope, period=JUNE)
    lapsed_before = list(lapsed_participants(scope=scope, period=JUNE))

    import_file(rows, branch)

    after = participant_standing(scope=scope, period=JUNE)
    assert (before.current, before.lapsed) == (0, 1)
    assert [row["pk"] for row in lapsed_before] == [acquisition.pk]
    assert (after.current, after.lapsed) == (1, 0)
    assert list(lapsed_participants(scope=scope, period=JUNE)) == []


def test_the_agents_own_list_shows_the_month_paid_at_the_bank(branch, paying_by_bank):
    acquisition, rows = paying_by_bank
    in_june = datetime.date(2022, 6, 20)

    def status():
        return with_payment_status(Acquisition.objects.filter(pk=acquisition.pk), today=in_june).get().payment_status

    before = status()
    import_file(rows, branch)

    assert before == PaymentStatus.LAPSED
    assert status() == PaymentStatus.PAID


def test_the_caretakers_fee_counts_what_was_paid_at_the_bank_in_the_month_paid(branch, paying_by_bank):
    acquisition, rows = paying_by_bank
    flat_scheme(
        name="2022",
        effective_from=datetime.date(2022, 1, 1),
        rate=Decimal("0.0750"),
        acquisition_minimum=50,
        bonus_amount=Decimal(500_000),
    )
    before = agent_statement(agent=acquisition.caretaker, month=datetime.date(2022, 6, 1))

    import_file(rows, branch)

    after = agent_statement(agent=acquisition.caretaker, month=datetime.date(2022, 6, 1))
    assert before.incentive.contributions_amount == 0
    assert after.incentive.contributions_amount == acquisition.monthly_contribution
    assert after.incentive.fee == Decimal(1260)  # 7.5% of Rp 16.800
    assert [line.period for line in after.lines] == [datetime.date(2022, 6, 1)]


@pytest.mark.postgres
def test_the_rollups_equal_the_raw_rows_after_an_import(branch, paying_by_bank, enrolled, db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the standing rollups are kept on PostgreSQL")
    acquisition, rows = paying_by_bank
    others = enrolled(5)
    rows += [payment(other, periode=f"2022-{month:02d}") for other in others for month in (4, 5, 6)]

    import_file(rows, branch)

    assert_rollups_equal_raw([Scope(), Scope(branch=branch), Scope(branch=branch, office=acquisition.office)])
