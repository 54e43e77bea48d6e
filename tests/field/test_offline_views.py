"""The service worker, the manifest and the sign-out that wipes the phone (``web.field.offline``)."""

import json
import re

import pytest
from django.urls import reverse

from agents.models import User
from tests.factories import UserFactory
from web.field.offline import account_key

pytestmark = pytest.mark.django_db


def test_the_service_worker_is_served_from_the_root_never_cached_and_lists_the_shell(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    assert response["Service-Worker-Allowed"] == "/"
    config = json.loads(re.search(r"const CONFIG = (\{.*\});", response.content.decode()).group(1))
    assert "/static/js/queue.js" in config["shell"]
    assert config["pages"] == [reverse("enrollment:agent_home"), reverse("recruitment:my_candidates")]
    assert "<html" in config["offlinePage"]


def test_the_manifest_names_the_app_in_the_page_language_and_starts_on_the_agent_home(client):
    indonesian = client.get("/manifest.webmanifest?hl=id")
    english = client.get("/manifest.webmanifest?hl=en")
    assert indonesian["Content-Type"] == "application/manifest+json"
    data = json.loads(english.content)
    assert data["start_url"] == reverse("enrollment:agent_home")
    assert data["name"] == "Perisai: enrol and follow up workers"
    assert json.loads(indonesian.content)["lang"] == "id"
    assert {icon["purpose"] for icon in data["icons"]} == {"any", "maskable"}
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}


def test_an_agent_page_carries_the_manifest_the_account_key_and_the_scripts(agent_client, field_agent):
    html = agent_client.get(reverse("enrollment:enrol")).content.decode()
    assert '<link rel="manifest"' in html
    assert f'data-account="{account_key(field_agent.user)}"' in html
    assert 'data-live="1"' in html
    assert "js/offline.js" in html and "js/queue.js" in html
    assert 'data-offline="enrol"' in html


def test_two_accounts_are_kept_under_different_names(field_agent, other_agent):
    assert account_key(field_agent.user) != account_key(other_agent.user)
    assert re.fullmatch(r"[0-9a-f]{20}", account_key(field_agent.user))


def test_a_staff_page_carries_nothing_for_offline(client, branch):
    staff = UserFactory(role=User.Role.STAFF, branch=branch)
    client.force_login(staff)
    html = client.get(reverse("home")).content.decode()
    assert 'rel="manifest"' not in html and "offline-status" not in html


def test_signing_out_tells_the_browser_to_forget_what_the_site_kept(agent_client):
    response = agent_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in agent_client.session


def test_the_policy_allows_the_worker_and_the_manifest_from_this_site(client):
    policy = client.get("/sw.js")["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy
