"""Pages are gzipped for a browser that asks (Django's GZipMiddleware), with the BREACH mitigations Django
ships: every response masks the CSRF token afresh, and every gzipped body carries random padding ("Heal the
Breach"), so an attacker comparing lengths sees neither a repeated token nor a stable length. A client
that does not ask for gzip (the test client, a script) gets the body as before."""

import csv
import gzip
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}  # what Chromium sends
# What changes between two renderings of the same page by design: the masked CSRF token, the CSP nonce.
PER_RESPONSE = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": "|nonce=")[^"]+"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def staff(branch):
    return UserFactory(branch=branch)


@pytest.fixture
def client(staff):
    client = Client()
    client.force_login(staff)
    return client


def _without_per_response_values(html):
    return PER_RESPONSE.sub(r"\1…", html)


def _padding(gzipped):
    """The length of the gzip header's file name, where Django puts its random padding (RFC 1952: the name
    follows the 10-byte header when the FNAME flag is set, ended by a zero byte)."""
    assert gzipped[3] & gzip.FNAME
    return gzipped.index(b"\x00", 10) - 10


def test_a_signed_in_page_comes_back_gzipped_and_unpacks_to_the_same_page(client):
    url = reverse("agents:agent_list")
    plain = client.get(url)
    packed = client.get(url, **GZIP)

    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.content) < len(plain.content)
    unpacked = gzip.decompress(packed.content).decode()
    assert unpacked.startswith("<!doctype html>")
    assert _without_per_response_values(unpacked) == _without_per_response_values(plain.content.decode())


def test_gzipped_bodies_carry_random_padding(client):
    url = reverse("agents:agent_list")
    paddings = {_padding(client.get(url, **GZIP).content) for _ in range(8)}

    assert len(paddings) > 1  # eight equal draws out of 100 would happen once in 10^14
    assert all(0 <= padding < 100 for padding in paddings)


def test_the_csrf_token_is_masked_afresh_in_every_response_and_each_stays_valid(staff):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)
    url = reverse("agents:agent_list")
    first = CSRF_FIELD.findall(gzip.decompress(browser.get(url, **GZIP).content).decode())
    second = CSRF_FIELD.findall(browser.get(url).content.decode())

    assert first and second
    assert set(first).isdisjoint(second)
    for token in (first[0], second[0]):
        response = browser.post(reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": token})
        assert response.status_code == 302


def test_a_download_unpacks_to_the_same_file_and_is_plain_for_a_client_that_does_not_ask(client):
    url = reverse("reports:report_csv", args=["offices"])
    plain = client.get(url)
    packed = client.get(url, **GZIP)

    assert "attachment" in packed.headers["Content-Disposition"]
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers
    plain_body = b"".join(plain.streaming_content) if plain.streaming else plain.content
    packed_body = b"".join(packed.streaming_content) if packed.streaming else packed.content
    assert gzip.decompress(packed_body) == plain_body
    assert list(csv.reader(io.StringIO(plain_body.decode("utf-8-sig"))))[0]  # a header row, as before
