"""Programme terms written under the incentives app are still there, with their history and permissions,
once migrations move them to the agent network."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from agents.models import ProgrammeTerms, User

BEFORE = [("agents", "0002_agent_leaving_reason_recruiter_declaration"), ("incentives", "0001_initial")]
AFTER = [("agents", "0003_programme_terms"), ("incentives", "0002_programme_terms_to_agents")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor.loader.project_state(targets).apps


def latest():
    """Every app's last migration: going back to ``BEFORE`` also unapplies what depends on it (later
    migrations of other apps), so the test database is brought all the way forward again."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def terms_written_before_the_move(transactional_db):
    old = migrate(BEFORE)
    terms = old.get_model("incentives", "ProgrammeTerms").objects.create(
        name="Ketentuan Perisai",
        effective_from=datetime.date(2017, 1, 1),
        agent_at_risk_months=2,
        agent_inactive_months=3,
        reactivation_wait_months=6,
        office_warning_months=2,
        office_pks_loss_months=3,
    )
    old.get_model("incentives", "HistoricalProgrammeTerms").objects.create(
        id=terms.pk,
        name=terms.name,
        effective_from=terms.effective_from,
        agent_at_risk_months=2,
        agent_inactive_months=3,
        reactivation_wait_months=6,
        office_warning_months=2,
        office_pks_loss_months=3,
        history_date=datetime.datetime(2017, 1, 1, tzinfo=datetime.UTC),
        history_type="+",
    )
    # The account as the schema stood then (the live model has columns added since, such as the region).
    editor = old.get_model("agents", "User").objects.create(username="editor", role="admin")
    editor.user_permissions.add(
        old.get_model("auth", "Permission").objects.get(
            content_type__app_label="incentives", codename="change_programmeterms"
        )
    )
    yield terms.pk, editor.pk
    migrate(latest())


def test_the_rows_the_history_and_the_permissions_follow_the_model(terms_written_before_the_move):
    pk, editor_pk = terms_written_before_the_move

    moved = migrate(AFTER)

    terms = moved.get_model("agents", "ProgrammeTerms").objects.get(pk=pk)  # the model as it stood then
    assert terms.name == "Ketentuan Perisai" and terms.reactivation_wait_months == 6
    history = moved.get_model("agents", "HistoricalProgrammeTerms").objects.filter(id=pk)
    assert list(history.values_list("history_type", flat=True)) == ["+"]
    assert ContentType.objects.get_for_model(ProgrammeTerms).app_label == "agents"
    assert not ContentType.objects.filter(app_label="incentives", model="programmeterms").exists()
    # Only the columns the permission check reads, which the schema of then already had.
    editor = User.objects.only("is_active", "is_superuser", "role", "branch").get(pk=editor_pk)
    assert editor.has_perm("agents.change_programmeterms")


def test_moving_back_returns_the_content_types_to_incentives(terms_written_before_the_move):
    migrate(AFTER)
    migrate(BEFORE)

    assert ContentType.objects.filter(app_label="incentives", model="programmeterms").exists()
    assert not ContentType.objects.filter(app_label="agents", model="programmeterms").exists()
