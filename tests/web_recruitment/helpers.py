"""What the recruitment tests compare: every recruitment row (and the agents and logins activation makes)."""

from agents.models import Agent, User
from recruitment.models import Candidate, Seat, TrainingSession


def recruitment_rows():
    """Every candidate, seat, session, agent and user as stored, to show that a refused action changed nothing."""
    return {
        model.__name__: list(model.objects.order_by("pk").values_list())
        for model in (Candidate, Seat, TrainingSession, Agent, User)
    }


def page_text(response):
    return response.content.decode()
