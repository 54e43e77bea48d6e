"""The agent's phone as an offline app: the agent's pages' fixtures. Its real-browser tests live beside the
other browser tests, which share one browser (tests/browser/test_offline.py)."""

from tests.enrollment.field.conftest import agent_client, field_agent, other_agent  # noqa: F401
