"""Production configuration: check --deploy is clean, the health endpoint, structured logs."""

import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.urls import reverse

from config.logging import JsonFormatter

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    environment = {**os.environ, **env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set while browser tests run; production never has it
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_production_settings_pass_check_deploy():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="perisai.example.go.id",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_secret_or_hosts(missing):
    env = {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "perisai.example.go.id"}
    env[missing] = ""
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


@pytest.mark.django_db
def test_health_answers_ok_when_the_database_answers(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_answers_503_when_the_database_does_not(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("web.health.connection.cursor", broken_cursor)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_json_log_lines_carry_message_level_and_extras():
    record = logging.makeLogRecord({"name": "perisai", "levelname": "WARNING", "msg": "import of %s", "args": ("x",)})
    record.rows = 12
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "import of x"
    assert line["level"] == "WARNING"
    assert line["rows"] == 12


@pytest.mark.django_db
def test_responses_carry_the_extra_security_headers(client):
    response = client.get(reverse("login"))
    assert response["X-XSS-Protection"] == "1; mode=block"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
