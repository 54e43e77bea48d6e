"""How the demo's workers pay: the first month to their agent, later months mostly through partner channels,
each channel payment with the name of its bank, shop or app and a reference of its own."""

import datetime
import hashlib
import re
from collections import Counter

import pytest
from django.db.models import Count, F
from django.db.models.functions import TruncMonth

from demo.cilacap import CHANNEL_NAMES, CHANNEL_WEIGHTS, LAST_PERIOD
from enrollment.models import Acquisition, Contribution

pytestmark = pytest.mark.django_db

Channel = Contribution.Channel

# sha256 of every contribution through June 2022 as (NIK, acquired on, month, date paid, amount, agent
# credited), as the demo wrote them before channels were drawn from their own Random and before the story
# went on past June 2022. It changes only when the demo's history changes on purpose; then recompute it
# with ``timeline_digest`` and say why.
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

    assert first.count() == Acquisition.objects.count() > 5628 + 2336  # one per acquisition, to today
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


def test_the_records_end_today_with_the_channels_reported_up_to_the_month_before_last(demo, now):
    """Agents' collections are recorded at once; the channels report a month after the 10th of the next,
    so last month's channel payments (the sample payments file) and this month's are not in yet."""
    latest = Contribution.objects.latest("paid_on").paid_on
    not_reported = Contribution.objects.filter(period__gt=now.last_reported_month)
    channels_of = {
        month: set(Contribution.objects.filter(period=month).values_list("channel", flat=True).distinct())
        for month in (now.last_reported_month, now.unreported_month, now.current_month)
    }

    assert now.records_end == now.today == latest == datetime.date(2026, 12, 6)
    assert set(not_reported.values_list("channel", flat=True).distinct()) == {Channel.AGENT}
    assert channels_of[now.last_reported_month] == set(CHANNEL_WEIGHTS)
    assert channels_of[now.unreported_month] == channels_of[now.current_month] == {Channel.AGENT}
    assert not Contribution.objects.filter(paid_on__gt=now.records_end).exists()
    assert 500 <= not_reported.filter(period=now.unreported_month).count() <= 2000
