"""How the demo's workers pay: the first month to their agent, later months mostly through partner channels,
each channel payment with the name of its bank, shop or app and a reference of its own."""

import datetime
import hashlib
import re
from collections import Counter

import pytest
from django.db.models import Count, F
from django.db.models.functions import TruncMonth

from demo.cilacap import CHANNEL_NAMES, CHANNEL_WEIGHTS, LAST_PERIOD, NEXT_PERIOD, RECORDS_END
from enrollment.models import Contribution

pytestmark = pytest.mark.django_db

Channel = Contribution.Channel

# sha256 of every contribution through June 2022 as (NIK, acquired on, month, date paid, amount, agent
# credited), as the demo wrote them before channels were drawn from their own Random. It changes only
# when the demo's story changes on purpose; then recompute it with ``timeline_digest`` and say why.
TIMELINE_DIGEST = "1cfeacf8f7d692bcfdb8f1955a0909ab3f297d98dcedfbcc69a41e16f2d4dcce"


def timeline_digest():
    rows = (
        Contribution.objects.filter(period__lte=LAST_PERIOD)
        .order_by("acquisition__participant__nik", "acquisition__acquired_on", "period")
        .values_list(
            "acquisition__participant__nik",
            "acquisition__acquired_on",
            "period",
            "paid_on",
            "amount",
            "credited_to__code",
        )
    )
    digest = hashlib.sha256()
    for row in rows:
        digest.update(("|".join(map(str, row)) + "\n").encode())
    return digest.hexdigest()


def first_months():
    return Contribution.objects.filter(period=TruncMonth(F("acquisition__acquired_on")))


def test_drawing_channels_leaves_every_other_draw_of_the_demo_as_it_was(demo):
    assert timeline_digest() == TIMELINE_DIGEST


def test_every_first_month_is_paid_to_the_agent_on_the_day_of_enrolment(demo):
    first = first_months()

    assert first.count() == 7964  # one per acquisition: 5,628 + 2,336
    assert not first.exclude(channel=Channel.AGENT).exists()
    assert not first.exclude(paid_on=F("acquisition__acquired_on")).exists()


def test_later_months_go_mostly_through_payment_points_apps_and_banks(demo):
    later = Contribution.objects.filter(period__lte=LAST_PERIOD).exclude(pk__in=first_months().values("pk"))
    counts = Counter(dict(later.values_list("channel").annotate(n=Count("pk")).order_by()))
    total = sum(counts.values())
    weights = sum(CHANNEL_WEIGHTS.values())

    for channel, weight in CHANNEL_WEIGHTS.items():
        assert counts[channel] / total == pytest.approx(weight / weights, abs=0.02), channel
    assert counts[Channel.AGENT] < counts[Channel.BANK] < counts[Channel.ONLINE] < counts[Channel.PAYMENT_POINT]


def test_a_channel_payment_names_its_bank_shop_or_app_and_carries_a_reference_used_once(demo):
    through_channels = Contribution.objects.exclude(channel=Channel.AGENT)
    names = {channel: {name for name, _weight in weighted} for channel, weighted in CHANNEL_NAMES.items()}

    for channel, name, reference, receipt, collector in through_channels.values_list(
        "channel", "channel_name", "reference", "receipt_number", "collected_by"
    ):
        assert name in names[channel]
        assert re.fullmatch(r"[A-Z]{0,3}[0-9]{12,24}", reference), reference
        assert (receipt, collector) == ("", None)
    assert through_channels.values("reference").distinct().count() == through_channels.count() > 35_000


def test_an_agents_collection_has_a_receipt_number_and_no_channel_reference(demo):
    collected = Contribution.objects.filter(channel=Channel.AGENT)
    receipts = list(collected.values_list("receipt_number", "paid_on"))

    assert all(re.fullmatch(rf"KW-{paid_on.year}-[0-9]{{6}}", receipt) for receipt, paid_on in receipts)
    assert len({receipt for receipt, _paid_on in receipts}) == len(receipts)
    assert not collected.exclude(reference="", channel_name="").exists()
    assert not collected.filter(collected_by__isnull=True).exists()


def test_a_worker_keeps_to_one_bank_shop_or_app_per_channel(demo):
    names_per_channel = (
        Contribution.objects.exclude(channel=Channel.AGENT)
        .values("acquisition", "channel")
        .annotate(names=Count("channel_name", distinct=True))
    )

    assert {row["names"] for row in names_per_channel} == {1}


def test_the_records_end_on_10_july_with_the_july_payments_agents_had_collected(demo):
    after_june = Contribution.objects.filter(period__gt=LAST_PERIOD)
    paid_june = Contribution.objects.filter(period=LAST_PERIOD).values("acquisition")

    assert RECORDS_END == datetime.date(2022, 7, 10)
    assert Contribution.objects.latest("paid_on").paid_on == RECORDS_END
    assert set(after_june.values_list("period", "channel").distinct()) == {(NEXT_PERIOD, Channel.AGENT)}
    assert not after_june.filter(paid_on__gt=RECORDS_END).exists()
    assert not after_june.exclude(acquisition__in=paid_june).exists()
    assert 150 <= after_june.count() <= 300
