"""One word for each status: an agent who left the network reads the same wherever their status shows."""

import pytest
from django.utils import translation

from agents.models import Agent
from incentives.activity import Activity


@pytest.mark.parametrize("language, word", [("id", "Berhenti"), ("en", "Left")])
def test_an_agent_who_left_reads_the_same_on_the_status_and_on_the_activity_badge(language, word):
    with translation.override(language):
        assert str(Agent.Status.INACTIVE.label) == str(Activity.LABELS[Activity.LEFT]) == word


def test_an_agent_still_in_the_network_who_enrols_nobody_is_inactive_never_left():
    with translation.override("id"):
        assert str(Activity.LABELS[Activity.INACTIVE]) == "Tidak aktif"
        assert str(Activity.LABELS[Activity.INACTIVE]) not in {str(label) for _, label in Agent.Status.choices}
