"""The Cilacap demo, seeded as ``make run`` seeds it (today): the story's exact figures, a story that runs
to today, a landing dashboard of this year, and running it twice changes nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max, Min
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from agents.models import Agent, Branch, CooperationAgreement, PerisaiOffice, User
from demo.cilacap import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoDataError, DemoNow, seed_cilacap_demo
from enrollment.models import Acquisition, AcquisitionTarget, Contribution, Occupation, Participant
from enrollment.services.enrolment import acquisition_enrol
from perisai.months import shift_month
from perisai.nik import MALE, build_nik, nik_mismatches, parse_nik
from reports.acquisitions import acquisitions_per_year

pytestmark = pytest.mark.django_db


def table_counts():
    models = [
        Branch,
        PerisaiOffice,
        CooperationAgreement,
        Agent,
        User,
        Participant,
        Acquisition,
        Contribution,
        AcquisitionTarget,
    ]
    return {model.__name__: model.objects.count() for model in models}


def seed():
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo as ``manage.py seed_demo`` writes it today, once for the module, rolled back at its end."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            seed()
            yield DemoNow(timezone.localdate())
            transaction.set_rollback(True)


def test_demo_has_the_story_figures(seeded):
    admin = User.objects.get(username="admin")
    per_year = {row["year"]: row["acquisitions"] for row in acquisitions_per_year(user=admin)}
    assert per_year[2021] == 5628
    january_to_june_2022 = (datetime.date(2022, 1, 1), datetime.date(2022, 6, 30))
    assert Acquisition.objects.filter(acquired_on__range=january_to_june_2022).count() == 2336
    assert per_year[2022] == 5912 > per_year[2021]  # the branch beat 2021
    assert list(per_year) == list(range(2021, seeded.today.year + 1))
    span = Acquisition.objects.aggregate(first=Min("acquired_on"), last=Max("acquired_on"))
    assert span["first"] >= datetime.date(2021, 1, 1)
    assert seeded.today - datetime.timedelta(days=7) <= span["last"] <= seeded.today
    assert PerisaiOffice.objects.count() == 4
    assert 60 <= Agent.objects.filter(status=Agent.Status.ACTIVE).count() <= 110
    assert Agent.objects.filter(status=Agent.Status.INACTIVE).exists()


def test_every_month_from_2021_to_today_has_acquisitions_and_every_year_its_targets(seeded):
    acquired = set(Acquisition.objects.annotate(month=TruncMonth("acquired_on")).values_list("month", flat=True))
    month, last_whole = datetime.date(2021, 1, 1), shift_month(seeded.today, -1)
    while month <= last_whole:
        assert month in acquired, month
        month = shift_month(month, 1)
    branch_targets = AcquisitionTarget.objects.filter(office=None, agent=None).values_list("year", flat=True)
    assert sorted(branch_targets) == list(range(2022, seeded.today.year + 1))


def test_contributions_run_to_today_the_channels_to_the_month_before_last(seeded):
    reported = Contribution.objects.exclude(channel=Contribution.Channel.AGENT).aggregate(latest=Max("period"))
    assert reported["latest"] == seeded.last_reported_month
    collected = Contribution.objects.filter(channel=Contribution.Channel.AGENT, period=seeded.unreported_month)
    assert collected.count() > 100
    assert Contribution.objects.aggregate(latest=Max("paid_on"))["latest"] <= seeded.today


def test_the_landing_dashboard_shows_this_year_and_an_enrolment_today_adds_one(seeded, client):
    today = seeded.today
    this_year = Acquisition.objects.filter(acquired_on__year=today.year).count()
    agent = Agent.objects.get(user__username="agen1")
    taken = set(Participant.objects.values_list("nik", flat=True))
    nik = next(
        nik
        for serial in range(1, 10_000)
        if (nik := build_nik("330106", datetime.date(1990, 5, 17), MALE, serial)) not in taken
    )
    acquisition_enrol(
        agent=agent,
        nik=nik,
        full_name="Budi Santoso",
        birth_date=datetime.date(1990, 5, 17),
        gender=MALE,
        kecamatan="Kroya",
        occupation=Occupation.FARMER,
        declared_income=1_000_000,
    )

    client.force_login(User.objects.get(username="staf"))
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f'id="figure-year-to-date">{this_year + 1:,}<' in page
    assert str(today.year) in page


def test_demo_pks_were_extended(seeded):
    renewed_mid_2022 = (
        CooperationAgreement.objects.filter(renews__isnull=False, starts_on=datetime.date(2022, 7, 1))
        .values("office")
        .distinct()
    )
    assert renewed_mid_2022.count() == 4


def test_demo_reacquires_lapsed_participants(seeded):
    twice = Participant.objects.annotate(n=Count("acquisitions")).filter(n__gt=1)
    assert twice.exists()
    for participant in twice[:50]:
        acquisitions = list(participant.acquisitions.order_by("acquired_on"))
        for earlier, later in zip(acquisitions, acquisitions[1:], strict=False):
            assert earlier.status == Acquisition.Status.LAPSED and earlier.ended_on < later.acquired_on


def test_demo_people_have_valid_consistent_niks(seeded):
    for person in [*Agent.objects.all(), *Participant.objects.order_by("-pk")[:500]]:
        parse_nik(person.nik)
        assert nik_mismatches(person.nik, birth_date=person.birth_date, gender=person.gender) == []


def test_demo_accounts_sign_in(seeded, client, settings):
    settings.PASSWORD_HASHERS = [*settings.PASSWORD_HASHERS, "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    for account in DEMO_ACCOUNTS:  # seeded once for the module, with Django's own hasher
        response = client.post(reverse("login"), {"username": account.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, account.username
        client.logout()


def test_running_the_seed_twice_changes_nothing(seeded):
    before = table_counts()
    seed()
    assert table_counts() == before


def test_a_day_before_the_story_goes_on_is_refused(db):
    before = table_counts()
    with pytest.raises(DemoDataError, match="from July 2022"):
        seed_cilacap_demo(today=datetime.date(2022, 8, 31))
    assert table_counts() == before
