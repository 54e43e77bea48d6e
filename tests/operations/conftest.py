"""Operations tests run against the real PostgreSQL server on this machine, in scratch databases.

They create and drop their own databases (never the test database pytest-django made) and drive the
app through ``manage.py`` and gunicorn subprocesses, as an operator would.
"""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("PERISAI_OPS_SERVER", "postgres://postgres@127.0.0.1:5432")


def require(condition, reason):
    """Skip locally when the machine lacks something; in CI (CI=true) that is a failure."""
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"required in CI: {reason}")
        pytest.skip(reason)


@pytest.fixture
def postgres_tools():
    require(connection.vendor == "postgresql", "operations tests need DATABASE_URL=postgres://...")
    for tool in ("pg_dump", "pg_restore"):
        require(shutil.which(tool), f"{tool} is not installed")


def admin_connection():
    conn = psycopg2.connect(f"{SERVER}/postgres")
    conn.autocommit = True
    return conn


@pytest.fixture
def scratch_database(postgres_tools):
    """``make(label)`` creates an empty database and returns its URL; all are dropped afterwards."""
    created = []

    def make(label):
        name = f"perisai_{label}_{uuid.uuid4().hex[:8]}"
        conn = admin_connection()
        with conn.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        created.append(name)
        return name, f"{SERVER}/{name}"

    yield make
    conn = admin_connection()
    with conn.cursor() as cursor:
        for name in created:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def manage(database_url, *args, **environment):
    """Run ``manage.py`` against ``database_url`` as a separate process (with ``environment`` added to its
    variables); fail loudly on error."""
    env = {**os.environ, **environment, "DATABASE_URL": database_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set while browser tests run; production never has it
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout
