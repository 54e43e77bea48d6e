"""A branch with a participant of every kind the reminders tell apart, on a fixed day (11 July 2022).

Cilacap (ours): agent Sari, with a login, looks after
- Ani, Indah: one month from lapsing (paid through May: nothing for June nor July), with a phone;
- Fitri: one month from lapsing, no phone;
- Gita: one month from lapsing, refused to pay when last contacted;
- Hadi: one month from lapsing, promised to pay on 20 July;
- Indah also promised, for 11 July: today, so she is back on the list;
- Budi: due (paid through June); Citra: paid for July.
Her colleague Joko has no login and looks after Kartika, one month from lapsing.
Banyumas (someone else's): agent Wati, with a login, looks after Lina, one month from lapsing.
"""

import datetime
from dataclasses import dataclass

from agents.models import Agent, Branch, User
from followup.models import ContactAttempt
from tests.factories import (
    AcquisitionFactory,
    AgentFactory,
    BranchFactory,
    ContributionFactory,
    ParticipantFactory,
    PerisaiOfficeFactory,
    UserFactory,
)

TODAY = datetime.date(2022, 7, 11)
JULY = datetime.date(2022, 7, 1)


@dataclass
class ReminderWorld:
    branch: Branch
    other_branch: Branch
    agent: Agent
    no_login: Agent
    far_agent: Agent
    staff: User
    head: User
    acquisitions: dict

    def __getitem__(self, name):
        return self.acquisitions[name]


def agent_with_login(office, *, username, full_name, phone):
    user = UserFactory(username=username, role=User.Role.AGENT, branch=office.branch)
    return AgentFactory(branch=office.branch, office=office, user=user, full_name=full_name, phone=phone)


def cared(agent, name, *, paid_through, phone="+6281300000001"):
    """``agent``'s participant ``name``, enrolled 15 January 2022, paid every month through ``paid_through``."""
    participant = ParticipantFactory(branch=agent.branch, full_name=name, phone=phone)
    acquisition = AcquisitionFactory(agent=agent, participant=participant, acquired_on=datetime.date(2022, 1, 15))
    for month in range(1, paid_through + 1):
        period = datetime.date(2022, month, 1)
        ContributionFactory(acquisition=acquisition, period=period, paid_on=period + datetime.timedelta(days=5))
    return acquisition


def contact(acquisition, outcome, promised_on=None):
    ContactAttempt.objects.create(
        acquisition=acquisition,
        agent=acquisition.caretaker,
        recorded_by=acquisition.caretaker.user or UserFactory(branch=acquisition.branch),
        outcome=outcome,
        promised_on=promised_on,
    )


def build_reminder_world():
    """The world above; the rate (the ``rate`` fixture) must exist first."""
    branch = BranchFactory(code="CLP", name="Cilacap")
    other_branch = BranchFactory(code="BMS", name="Banyumas")
    office = PerisaiOfficeFactory(branch=branch)
    agent = agent_with_login(office, username="agen-sari", full_name="Sari Wulandari", phone="+6281211112222")
    no_login = AgentFactory(branch=branch, office=office, full_name="Joko Susilo", phone="+6281233334444")
    far_agent = agent_with_login(
        PerisaiOfficeFactory(branch=other_branch), username="agen-wati", full_name="Wati Rahayu", phone="+6281255556666"
    )
    acquisitions = {
        "Ani": cared(agent, "Ani Lestari", paid_through=5, phone="+6281311110001"),
        "Indah": cared(agent, "Indah Permata", paid_through=5, phone="+6281311110002"),
        "Fitri": cared(agent, "Fitri Handayani", paid_through=5, phone=""),
        "Gita": cared(agent, "Gita Savitri", paid_through=5, phone="+6281311110003"),
        "Hadi": cared(agent, "Hadi Wijaya", paid_through=5, phone="+6281311110004"),
        "Budi": cared(agent, "Budi Santoso", paid_through=6, phone="+6281311110005"),
        "Citra": cared(agent, "Citra Dewi", paid_through=7, phone="+6281311110006"),
        "Kartika": cared(no_login, "Kartika Sari", paid_through=5, phone="+6281311110007"),
        "Lina": cared(far_agent, "Lina Marlina", paid_through=5, phone="+6281311110008"),
    }
    contact(acquisitions["Gita"], ContactAttempt.Outcome.REFUSES)
    contact(acquisitions["Hadi"], ContactAttempt.Outcome.PROMISED, promised_on=datetime.date(2022, 7, 20))
    contact(acquisitions["Indah"], ContactAttempt.Outcome.PROMISED, promised_on=TODAY)
    return ReminderWorld(
        branch=branch,
        other_branch=other_branch,
        agent=agent,
        no_login=no_login,
        far_agent=far_agent,
        staff=UserFactory(role=User.Role.STAFF, branch=branch, email="rina@example.org"),
        head=UserFactory(role=User.Role.HEAD, branch=branch, email="hendra@example.org"),
        acquisitions=acquisitions,
    )


def more_late_participants(agent, count):
    """``count`` more participants of ``agent``, one month from lapsing, to make a list long."""
    return [cared(agent, f"Peserta {n:02d}", paid_through=5, phone=f"+62813222200{n:02d}") for n in range(count)]
