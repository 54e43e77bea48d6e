"""Who may call the API: a signed-in agent, by session cookie (writes also send the CSRF token in an
``X-CSRFToken`` header, as the pages' forms send it in the body) or by ``Authorization: Bearer <token>``
(``web.signin.tokens``; a token writes as its account). The same rule as ``web.access.agent_required``:
an agent's account linked to an ``Agent``. Anyone else gets 403 (``web.api.endpoints``).

A request that names a bearer token is judged by that token alone: a wrong or revoked token fails even
beside a valid session cookie, so an integration finds out its token no longer works.
"""

from django.conf import settings
from ninja.security import APIKeyCookie, HttpBearer

from agents.models import Agent
from web.access import is_agent
from web.signin.tokens import user_for_token


def agent_of(user):
    """The ``Agent`` whose account ``user`` is (branch and office fetched), or ``None``."""
    if user is None or not user.is_authenticated or not user.is_active or not is_agent(user):
        return None
    agent = Agent.objects.select_related("branch", "office").filter(user=user).first()
    if agent is not None:
        agent.user = user
    return agent


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        return agent_of(user_for_token(token))


class AgentSession(APIKeyCookie):
    """Django's session, with Django's CSRF check on writes (ninja's cookie authentication)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        if "Authorization" in request.headers:
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        return agent_of(request.user)
