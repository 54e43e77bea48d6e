"""The sending backends: the HTTP gateway tried against a real server on this machine, the choice by setting."""

import logging
import socket

import pytest
from django.core.exceptions import ImproperlyConfigured

from followup.models import OutboxMessage
from followup.sending import HttpGatewayBackend, OutboxBackend, SendFailed, get_backend
from tests.followup.fake_gateway import fake_gateway

TOKEN = "rahasia-gateway-123"
TEXT = "Halo Ani, iuran BPJS Ketenagakerjaan Anda untuk Juni dan Juli 2022 (Rp 33.600) belum kami terima."


def message():
    """An unsaved message: the backend reads only what it sends."""
    return OutboxMessage(pk=41, purpose="late", to="+6281311110001", text=TEXT)


def backend(url, **kwargs):
    return HttpGatewayBackend(url=url, token=TOKEN, **kwargs)


def test_the_gateway_receives_the_number_and_the_text_as_json_with_the_bearer_token():
    with fake_gateway() as gateway:
        backend(gateway.url).send(message())

    (received,) = gateway.requests
    assert received.body == {"to": "+6281311110001", "text": TEXT}
    assert received.headers["authorization"] == f"Bearer {TOKEN}"
    assert received.headers["content-type"].startswith("application/json")
    assert received.path == "/send"


def test_an_accepted_answer_other_than_200_is_a_success():
    with fake_gateway(status=202) as gateway:
        backend(gateway.url).send(message())

    assert len(gateway.requests) == 1


@pytest.mark.parametrize("status", [400, 401, 500, 503])
def test_an_answer_outside_2xx_is_a_failure_that_names_the_status(status):
    with fake_gateway(status=status) as gateway, pytest.raises(SendFailed) as failed:
        backend(gateway.url).send(message())

    assert f"HTTP {status}" in failed.value.reason


def test_a_redirect_is_a_failure_and_the_token_never_follows_it():
    with fake_gateway() as elsewhere, fake_gateway(status=302, location="") as gateway:
        gateway.location = elsewhere.url
        with pytest.raises(SendFailed) as failed:
            backend(gateway.url).send(message())

    assert "HTTP 302" in failed.value.reason
    assert elsewhere.requests == []


def test_a_gateway_that_does_not_answer_in_time_is_a_failure():
    with fake_gateway(delay=1.0) as gateway, pytest.raises(SendFailed) as failed:
        backend(gateway.url, timeout=0.2).send(message())

    assert "did not answer within 0.2 seconds" in failed.value.reason


def test_a_gateway_that_is_not_listening_is_a_failure():
    with socket.socket() as probe:  # a port that was free a moment ago, and is closed now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(SendFailed) as failed:
        backend(f"http://127.0.0.1:{port}/send", timeout=2).send(message())

    assert "could not be reached" in failed.value.reason


def test_the_log_names_the_message_and_never_its_text_or_full_number(caplog):
    caplog.set_level(logging.DEBUG, logger="followup.sending")
    with fake_gateway() as gateway:
        backend(gateway.url).send(message())
    with fake_gateway(status=500) as gateway, pytest.raises(SendFailed):
        backend(gateway.url).send(message())

    logged = [record.getMessage() for record in caplog.records]
    assert len(logged) == 2 and all("41" in line for line in logged)
    assert not [line for line in logged if "Ani" in line or "+6281311110001" in line]


@pytest.mark.parametrize(
    ("url", "token"),
    [
        ("", TOKEN),
        ("https://gateway.example.id/send", ""),
        ("http://gateway.example.id/send", TOKEN),  # the token and the numbers in clear text across the network
        ("file:///etc/passwd", TOKEN),
    ],
)
def test_the_gateway_needs_an_https_address_and_a_token(url, token):
    with pytest.raises(ImproperlyConfigured):
        HttpGatewayBackend(url=url, token=token)


@pytest.mark.parametrize("url", ["http://localhost:9000/send", "http://127.0.0.1:9000/send", "http://[::1]:9000/"])
def test_plain_http_is_allowed_to_this_machine(url):
    assert HttpGatewayBackend(url=url, token=TOKEN).url == url


def test_without_a_setting_the_backend_is_the_outbox(settings):
    del settings.PERISAI_MESSAGE_BACKEND

    chosen = get_backend()

    assert isinstance(chosen, OutboxBackend) and not chosen.delivers


def test_the_gateway_is_a_setting_away(settings):
    settings.PERISAI_MESSAGE_BACKEND = "followup.sending.HttpGatewayBackend"
    settings.PERISAI_SMS_GATEWAY_URL = "https://gateway.example.id/send"
    settings.PERISAI_SMS_GATEWAY_TOKEN = TOKEN
    settings.PERISAI_SMS_GATEWAY_TIMEOUT = 4

    chosen = get_backend()

    assert isinstance(chosen, HttpGatewayBackend) and chosen.delivers
    assert (chosen.url, chosen.token, chosen.timeout) == ("https://gateway.example.id/send", TOKEN, 4)


@pytest.mark.parametrize("path", ["followup.sending.NoSuchBackend", "followup.models.OutboxMessage", "nowhere.Backend"])
def test_a_setting_that_names_no_backend_is_refused(settings, path):
    settings.PERISAI_MESSAGE_BACKEND = path

    with pytest.raises(ImproperlyConfigured):
        get_backend()
