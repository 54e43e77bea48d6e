"""Phone numbers stored before numbers had one form are rewritten in it by the migrations; what is no
number is left for staff to correct."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from enrollment.models import Participant
from tests.factories import AgentFactory, ParticipantFactory

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


def test_participants_and_agents_numbers_are_rewritten_as_plus_62(before_the_migration):
    typed = ParticipantFactory(phone="0812-3456-7890")
    broken = ParticipantFactory(phone="0812-34")
    none = ParticipantFactory(phone="")
    agent = AgentFactory(phone="62 857 1111 2222")

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    phones = dict(Participant.objects.values_list("pk", "phone"))
    assert phones == {typed.pk: "+6281234567890", broken.pk: "0812-34", none.pk: ""}
    agent.refresh_from_db()
    assert agent.phone == "+6285711112222"
