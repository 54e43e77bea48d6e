"""Who reaches the API: the signed-in agent by session (with the CSRF token on writes) or by bearer
token, as the agent's pages; staff, anonymous callers, a revoked or expired token get 403, another
agent's acquisition a 404, and nothing is written for any of them."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from enrollment.models import Acquisition, Contribution
from followup.models import ContactAttempt
from perisai.roles import Role
from tests.api.conftest import ENROL, contacts_url, contributions_url, enrol_body, post_json
from tests.enrollment.field.builders import WORKER_NIK, cared_acquisition, this_month
from tests.factories import UserFactory
from web.signin.models import ApiToken

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def contribution_body(acquisition):
    return {"period": this_month().strftime("%Y-%m"), "amount": 16800, "paid_on": timezone.localdate().isoformat()}


def every_request(acquisition):
    """One call of each endpoint: ``(method, url, body)``."""
    return [
        ("post", ENROL, enrol_body()),
        ("post", contributions_url(acquisition), contribution_body(acquisition)),
        ("post", contacts_url(acquisition), {"outcome": "reached"}),
        ("get", reverse("api:quote") + "?declared_income=1000000", None),
        ("get", reverse("api:participants"), None),
    ]


def call(client, method, url, body, **headers):
    if method == "post":
        return post_json(client, url, body, **headers)
    return client.get(url, **headers)


def nothing_written():
    enrolled = Acquisition.objects.filter(participant__nik=WORKER_NIK).exists()
    return not enrolled and not Contribution.objects.exists() and not ContactAttempt.objects.exists()


@pytest.fixture
def acquisition(field_agent):
    return cared_acquisition(field_agent, monthly_contribution=16800)


@pytest.mark.parametrize("role", [None, Role.STAFF, Role.HEAD, Role.ADMIN])
def test_anyone_but_an_agent_gets_a_403_in_json_and_nothing_is_written(client, acquisition, branch, role, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if role is not None:
        client.force_login(UserFactory(role=role, branch=None if role == Role.ADMIN else branch))
    for method, url, body in every_request(acquisition):
        response = call(client, method, url, body)
        assert response.status_code == 403, (url, response.content)
        assert response.json()["message"] == "Sign in as an agent to use this."
        assert response.json()["errors"] == {"__all__": ["Sign in as an agent to use this."]}
    assert nothing_written()


def test_another_agents_acquisition_is_a_404_and_nothing_is_written(agent_client, other_agent):
    theirs = cared_acquisition(other_agent, monthly_contribution=16800)
    for url, body in [
        (contributions_url(theirs), contribution_body(theirs)),
        (contacts_url(theirs), {"outcome": "reached"}),
    ]:
        response = post_json(agent_client, url, body)
        assert response.status_code == 404
        assert response.json()["message"] == "Not found."
    assert not Contribution.objects.exists() and not ContactAttempt.objects.exists()


def test_another_agents_participants_are_not_listed(agent_client, field_agent, other_agent):
    mine = cared_acquisition(field_agent)
    cared_acquisition(other_agent)
    listed = agent_client.get(reverse("api:participants")).json()["results"]
    assert [row["acquisition_id"] for row in listed] == [mine.pk]


def test_a_session_write_needs_the_csrf_token_in_a_header(field_agent):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(field_agent.user)
    client.get(reverse("enrollment:enrol"))  # the page sets the CSRF cookie
    refused = post_json(client, ENROL, enrol_body())
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["message"]
    assert not Acquisition.objects.exists()

    accepted = post_json(client, ENROL, enrol_body(), HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert accepted.status_code == 201
    assert Acquisition.objects.count() == 1


def test_a_bearer_token_writes_as_its_agent_without_a_session_or_csrf(field_agent, token):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    response = post_json(client, ENROL, enrol_body(), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 201, response.content
    acquisition = Acquisition.objects.get()
    assert acquisition.agent == field_agent
    assert acquisition.history.get().history_user == field_agent.user
    assert ApiToken.objects.get().last_used_at is not None
    assert "sessionid" not in response.cookies


def test_a_revoked_token_fails(field_agent, token, client):
    call_command("api_token", "revoke", "--user", field_agent.user.username)
    response = client.get(reverse("api:participants"), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403
    assert post_json(client, ENROL, enrol_body(), HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 403
    assert not Acquisition.objects.exists()


def test_an_expired_or_unknown_token_fails(field_agent, token, client):
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(reverse("api:participants"), HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 403
    assert client.get(reverse("api:participants"), HTTP_AUTHORIZATION="Bearer prs_nothing").status_code == 403


def test_a_wrong_token_fails_even_beside_a_valid_session(agent_client):
    response = agent_client.get(reverse("api:participants"), HTTP_AUTHORIZATION="Bearer prs_revoked-or-wrong")
    assert response.status_code == 403


def test_a_switched_off_account_token_fails(field_agent, token, client):
    field_agent.user.is_active = False
    field_agent.user.save()
    assert client.get(reverse("api:participants"), HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 403


def test_the_command_issues_a_token_shown_once_and_stores_only_its_hash(field_agent, capsys):
    call_command("api_token", "issue", field_agent.user.username, "--name", "Koperasi sync", "--days", "30")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    stored = ApiToken.objects.get()
    assert token.startswith("prs_") and token not in {stored.digest, stored.prefix} and token.startswith(stored.prefix)
    assert stored.expires_at > timezone.now() + datetime.timedelta(days=29)
    client = Client()
    assert client.get(reverse("api:participants"), HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200

    call_command("api_token", "revoke", stored.prefix)
    assert client.get(reverse("api:participants"), HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 403
    call_command("api_token", "list")
    assert "revoked" in capsys.readouterr().out


def test_the_command_gives_no_token_to_anyone_but_an_agent(branch):
    staff = UserFactory(branch=branch)
    with pytest.raises(CommandError, match="not an agent's account"):
        call_command("api_token", "issue", staff.username, "--name", "x")
    with pytest.raises(CommandError, match="No account"):
        call_command("api_token", "issue", "nobody", "--name", "x")
    assert not ApiToken.objects.exists()


def test_an_agent_account_linked_to_no_agent_gets_a_403(client, branch):
    client.force_login(UserFactory(role=Role.AGENT, branch=branch))
    assert client.get(reverse("api:participants")).status_code == 403


def test_a_session_that_owes_its_second_factor_gets_a_403_in_json_not_a_redirect(client, field_agent):
    TOTPDevice.objects.create(user=field_agent.user, name="app", confirmed=True)
    client.force_login(field_agent.user)  # the password alone: the app's code not given yet
    response = client.get(reverse("api:participants"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.json()["message"] == "Give your second factor on the sign-in page first."
