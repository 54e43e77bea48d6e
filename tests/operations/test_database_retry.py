"""A page whose connection PostgreSQL ends in the middle of the request (as a restart does to every session)
is run once more on a new connection when it only reads, and never when it writes.

The server really ends the session: another connection calls ``pg_terminate_backend`` on ours just before
the request's first query, as ``pg_ctl stop -m fast`` does to every session.
"""

import psycopg2
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from agents.models import User
from tests.factories import DEFAULT_PASSWORD, BranchFactory, UserFactory
from tests.operations.conftest import require

pytestmark = pytest.mark.django_db(transaction=True)  # the ended session must not be the test's transaction


@pytest.fixture
def client():
    """As a server answers: an exception becomes a 500 response (Django's test client would raise it,
    even from a first attempt that the retry then made good)."""
    return Client(raise_request_exception=False)


@pytest.fixture
def staff():
    require(connection.vendor == "postgresql", "needs DATABASE_URL=postgres://...")
    return UserFactory(username="staf", role=User.Role.STAFF, branch=BranchFactory())


def terminate(database):
    """Have the server end ``database``'s session, from another connection, as a fast shutdown does."""
    pid = database.connection.get_backend_pid()
    other = psycopg2.connect(**connection.get_connection_params())
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
    other.close()


def end_our_session_once():
    """An ``execute_wrapper`` that has the server end this connection before the first query it sees."""
    ended = []

    def wrapper(execute, sql, params, many, context):
        if not ended:
            ended.append(sql)
            terminate(context["connection"])
        return execute(sql, params, many, context)

    wrapper.ended = ended
    return wrapper


def test_a_page_that_only_reads_is_run_again_on_a_new_connection(client, staff):
    client.force_login(staff)
    connection.ensure_connection()
    ending = end_our_session_once()
    with connection.execute_wrapper(ending):
        response = client.get(reverse("home"))
    assert ending.ended, "the session was never ended"
    assert response.status_code == 200


def test_a_form_that_writes_is_not_sent_twice(client, staff):
    connection.ensure_connection()
    ending = end_our_session_once()
    with connection.execute_wrapper(ending):
        response = client.post(reverse("login"), {"username": "staf", "password": DEFAULT_PASSWORD})
    connection.close()  # what the end of a request does on a server (the test client leaves it to us)
    assert ending.ended
    assert response.status_code == 500
    assert User.objects.get(pk=staff.pk).last_login is None


def end_our_session_after_the_session_save():
    """An ``execute_wrapper`` that has the server end this connection right after the session's row is
    written, before its ``COMMIT``: the commit fails, no query did, and Django answers 400
    (``SessionInterrupted``), as it did once in a restart under load."""
    ended = []

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not ended and sql.startswith('UPDATE "django_session"'):
            ended.append(sql)
            terminate(context["connection"])
        return result

    wrapper.ended = ended
    return wrapper


def test_a_page_whose_session_save_failed_at_commit_is_run_again(client, staff):
    client.force_login(staff)
    connection.ensure_connection()
    ending = end_our_session_after_the_session_save()
    with connection.execute_wrapper(ending):
        response = client.get(reverse("home"))
    assert ending.ended, "the session was never saved"
    assert response.status_code == 200
