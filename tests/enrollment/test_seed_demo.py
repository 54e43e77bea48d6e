"""The Cilacap demo: the story's exact yearly figures, and running it twice changes nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Min
from django.urls import reverse

from agents.models import Agent, Branch, CooperationAgreement, PerisaiOffice, User
from demo.cilacap import DEMO_ACCOUNTS, DEMO_PASSWORD
from enrollment.models import Acquisition, AcquisitionTarget, Contribution, Participant
from perisai.nik import nik_mismatches, parse_nik
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


@pytest.fixture
def seeded():
    seed()


def test_demo_has_the_story_figures(seeded):
    admin = User.objects.get(username="admin")
    assert acquisitions_per_year(user=admin) == [
        {"year": 2021, "acquisitions": 5628},
        {"year": 2022, "acquisitions": 2336},
    ]
    january_to_june_2022 = (datetime.date(2022, 1, 1), datetime.date(2022, 6, 30))
    assert Acquisition.objects.filter(acquired_on__range=january_to_june_2022).count() == 2336
    span = Acquisition.objects.aggregate(first=Min("acquired_on"), last=Max("acquired_on"))
    assert span["first"] >= datetime.date(2021, 1, 1) and span["last"] <= datetime.date(2022, 6, 30)
    assert PerisaiOffice.objects.count() == 4
    assert 7_500 <= Participant.objects.count() <= 8_500
    assert 70 <= Agent.objects.count() <= 90
    assert Agent.objects.filter(status=Agent.Status.INACTIVE).exists()


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
    for participant in twice[:20]:
        first, second = participant.acquisitions.order_by("acquired_on")
        assert first.status == Acquisition.Status.LAPSED and first.ended_on < second.acquired_on


def test_demo_people_have_valid_consistent_niks(seeded):
    for person in [*Agent.objects.all(), *Participant.objects.all()[:500]]:
        parse_nik(person.nik)
        assert nik_mismatches(person.nik, birth_date=person.birth_date, gender=person.gender) == []


def test_demo_accounts_sign_in(seeded, client):
    for account in DEMO_ACCOUNTS:
        response = client.post(reverse("login"), {"username": account.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, account.username
        client.logout()


def test_running_the_seed_twice_changes_nothing(seeded):
    before = table_counts()
    seed()
    assert table_counts() == before
