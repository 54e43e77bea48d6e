"""Phone numbers stored before numbers had one form are rewritten in it by the migrations; what is no
number is left for staff to correct."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from agents.models import Agent
from enrollment.models import Participant
from perisai.nik import Gender, build_nik

BEFORE = [("enrollment", "0007_payments_file"), ("agents", "0003_programme_terms")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture
def before_the_migration(transactional_db):
    migrate(BEFORE)
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _rows_as_they_were():
    """The models as they stood before the migration (the live ones have columns added since)."""
    return MigrationExecutor(connection).loader.project_state(BEFORE).apps


def _person(serial):
    born = datetime.date(1985, 3, 14)
    return {
        "nik": build_nik("330101", born, Gender.MALE, serial),
        "full_name": f"Person {serial}",
        "gender": Gender.MALE,
        "birth_date": born,
        "kecamatan": "Cilacap Selatan",
    }


def test_participants_and_agents_numbers_are_rewritten_as_plus_62(before_the_migration):
    old = _rows_as_they_were()
    branch = old.get_model("agents", "Branch").objects.create(code="CLP", name="Cilacap")
    office = old.get_model("agents", "PerisaiOffice").objects.create(branch=branch, code="KP-1", name="Kota")
    OldParticipant = old.get_model("enrollment", "Participant")
    typed = OldParticipant.objects.create(branch=branch, phone="0812-3456-7890", occupation="farmer", **_person(1))
    broken = OldParticipant.objects.create(branch=branch, phone="0812-34", occupation="farmer", **_person(2))
    none = OldParticipant.objects.create(branch=branch, phone="", occupation="farmer", **_person(3))
    agent = old.get_model("agents", "Agent").objects.create(
        branch=branch,
        office=office,
        code="AG1",
        phone="62 857 1111 2222",
        joined_on=datetime.date(2021, 1, 4),
        status="active",
        **_person(4),
    )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    phones = dict(Participant.objects.values_list("pk", "phone"))
    assert phones == {typed.pk: "+6281234567890", broken.pk: "0812-34", none.pk: ""}
    assert Agent.objects.get(pk=agent.pk).phone == "+6285711112222"
