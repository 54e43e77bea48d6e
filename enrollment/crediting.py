"""Which agent a contribution is credited to: the one rule, for the agents' fees (``incentives``) and
the money collected by agent (``reports.money``).

A contribution counts for ``Contribution.credited_to``, the agent who looked after the participant
when it was paid (set by the agent's form and the payments file). One recorded without it counts for
the agent who looks after the participant now (``Acquisition.caretaker``). So after staff move the
participants of an agent who left, new payments count for the new agent and earlier ones stay with
the old.
"""

from django.db.models.functions import Coalesce

CREDITED_AGENT = Coalesce("credited_to", "acquisition__caretaker")
"""The id of the agent a contribution is credited to, as an expression on ``Contribution``."""
