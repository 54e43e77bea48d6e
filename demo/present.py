"""Demo data: the Cilacap story carried on from July 2022 to the demo's today (``demo.cilacap.DemoNow``).

``demo.cilacap`` draws the branch's history to June 2022 from its ``random.Random(SEED)`` (5,628
acquisitions in 2021, 2,336 from January to June 2022). This module carries it on month by month up to
the month of ``now.today``, so a newcomer who runs the demo finds this year's figures, this month's
follow-up, fee statements and activity, and an enrolment made today counts in a year that already
has its thousands.

The story:
- **Acquisitions** follow the same season as 2021 (slow in January and in the month of Lebaran, busier
  in the second half), month totals rounded by the largest remainder so the years are exact: 2022 ends
  at 5,912 (the branch beat 2021, short of its 6,000 target), then ``YEARLY_ACQUISITIONS``, then 2% a
  year more. The month in progress has its acquisitions up to today.
- **Agents** keep joining in a pembekalan every quarter (the second Wednesday of February, May, August
  and November; an agent joins 3 to 14 days after it), sent to the offices in the same rotation as
  before (half of them brought in by an agent); each has an activity weight. Some leave after a few
  months or years: most resign, bringing fewer workers in their last weeks; the others are
  deactivated for inactivity, six months after their last new participant (so on any day the activity
  pages show agents at risk or inactive). The two agents with a login (``agen1``, ``agen2``) stay.
  Sidareja's PKS was not renewed after June 2024: its agents work through Kantor Perisai Majenang since,
  and the office is inactive. When an agent leaves, their participants go to a colleague of the same
  office (``looking_after``).
- **Workers** pay their first month to their agent on the day of enrolment. BPU workers lapse a lot:
  ``PAY_ONCE_SHARE`` never pay again, the others stop after a few months (a ``MONTHLY_STOP`` chance a
  month), a few skip a month; the 2022 workers still paying in June 2022 are steadier
  (``STEADY_MONTHLY_STOP``). A worker three months unpaid has lapsed, and some lapsed workers are
  enrolled again by an agent of the same office (``REACQUIRED_SHARE`` of the acquisitions).
- **What the records hold on today** (``DemoNow``): every acquisition up to today; what agents
  collected up to today; what came through the channels for the months they have reported (up to
  ``now.last_reported_month``). Last month's channel payments are the sample payments file
  (``demo.payments_sample``). A lapse is recorded (status lapsed, ``ended_on``) once the months that
  show it are reported, or when the worker is enrolled again.
- **Targets** for every year after 2022: the branch aims 4% past the year before (rounded up to 50),
  shared among the offices with a PKS by the year before's acquisitions; every agent working on
  1 January has one, their year before's pace plus 5%.

Choices:
- Everything here comes from ``random.Random(PRESENT_SEED)``, drawn in the order of the story (month by
  month; a worker's whole life of payments when they enrol), never from the history's Randoms, so the
  history to June 2022 stays as it was. What the day changes is only where the story stops: the months
  before the last two come out the same whatever the day the demo is seeded (a pembekalan too recent
  for its agents to have joined is left out, which may shift those last months). Channel names and
  references come from the history's ``Channels`` (a worker keeps their bank, shop or app).
- The demo's large tables (35,000 participants and acquisitions, 190,000 contributions on a December
  2026 day) are written by ``insert_rows`` and ``write_contributions``, not ``bulk_create``, whose
  per-row work would more than double the seed's time: multi-row INSERTs on SQLite, COPY on
  PostgreSQL, with the values the model fields hold (every constraint holds by construction and is
  checked by the database). SQLite's triggers count the report rollups row by row as for any write; on
  PostgreSQL the rollups are counted once after the load (``counted_after``).
"""

import contextlib
import datetime
import functools
import heapq
import io
import math
import random
from collections import Counter, defaultdict
from itertools import accumulate

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max

from agents.models import Agent
from demo.cilacap import (
    BATCH_SIZE,
    DAYS_LATE_AFTER_MONTH_END,
    JHT_SHARE,
    LAST_PERIOD,
    MAX_AGENT_ACTIVITY,
    MONTHS_UNPAID_BEFORE_LAPSE,
    RECRUITMENT_ROTATION,
    SKIP_CHANCE,
    SKIPPING_SHARE,
    USUAL_CHANNEL_SHARE,
    Payment,
    draw_channel,
    draw_declared_income,
    history_day_weight,
    new_agent,
    participant_values,
)
from enrollment.models import Acquisition, AcquisitionTarget, Contribution, Participant
from perisai.apportion import largest_remainder
from perisai.months import month_end, shift_month
from reports import rollups

PRESENT_SEED = 20220711
FIRST_MONTH = shift_month(LAST_PERIOD, 1)  # July 2022

# Acquisitions a year; 2022 includes its 2,336 of January-June. Later years grow 2% a year.
YEARLY_ACQUISITIONS = {2022: 5912, 2023: 6212, 2024: 6040, 2025: 6230, 2026: 6390}
LATER_GROWTH = 1.02
# Each month's weight in a year, as in 2021 (whose May dip was Lebaran's); the month of Lebaran counts
# ``LEBARAN_MONTH`` of its weight, and its days around Idul Fitri hardly any enrolment.
SEASON = (0.60, 0.75, 0.90, 0.85, 0.85, 0.90, 1.05, 1.10, 1.05, 1.15, 1.20, 1.10)
LEBARAN_MONTH = 0.7
IDUL_FITRI = {
    2023: datetime.date(2023, 4, 22),
    2024: datetime.date(2024, 4, 10),
    2025: datetime.date(2025, 3, 31),
    2026: datetime.date(2026, 3, 20),
    2027: datetime.date(2027, 3, 10),
    2028: datetime.date(2028, 2, 27),
    2029: datetime.date(2029, 2, 14),
    2030: datetime.date(2030, 2, 5),
}
LEBARAN_BREAK = (datetime.timedelta(days=3), datetime.timedelta(days=5))  # before and after Idul Fitri

TRAINING_MONTHS = (2, 5, 8, 11)
TRAINED_PER_BATCH = (4, 7)
JOINING_DAYS = (3, 14)
RECRUITED_BY_AN_AGENT = 0.5  # agents bring candidates in since April 2022
AGENT_MONTHLY_LEAVING = 0.018
NEW_AGENT_MONTHLY_LEAVING = 0.025
MONTHS_BEFORE_LEAVING = 4  # a new agent stays at least this long
# Some agents leave for inactivity: staff deactivate them ``SILENT_DAYS`` after their last new participant
# (the programme's three months, and as long again before staff act). The others resign, quieter in their
# last weeks.
INACTIVITY_SHARE = 0.4
SILENT_DAYS = 180
FADING, FADING_DAYS = 0.1, 45
SIDAREJA, MAJENANG = "CLP-04", "CLP-02"
SIDAREJA_LAST_DAY = datetime.date(2024, 6, 30)  # its last PKS ended; its agents moved to Majenang

PAY_ONCE_SHARE = 0.5
MONTHLY_STOP = 0.16
STEADY_MONTHLY_STOP = 0.12
MAX_MONTHS = 120
REACQUIRED_SHARE = 0.04

TARGET_GROWTH = 1.04
AGENT_TARGET_GROWTH = 1.05
AGENT_TARGET_FLOOR = 30


class Life:
    """One acquisition and the payments of its worker: the history's (``acquisition`` is the model, its
    payments to June 2022 drawn there) or one made here. ``payments`` are this module's, as (month,
    date paid, channel)."""

    __slots__ = (
        "acquisition",
        "key",
        "participant",
        "agent",
        "caretaker",
        "office",
        "acquired_on",
        "monthly_contribution",
        "declared_income",
        "with_jht",
        "payments",
        "last_period",
        "ended_on",
        "again",
        "_pk",
    )

    def __init__(self, *, key, participant, agent, office, acquired_on, acquisition=None, caretaker=None):
        self.acquisition = acquisition
        self.key = key  # the worker's key in ``Channels`` (their banks, shops and apps)
        self.participant = participant
        self.agent = agent
        self.caretaker = caretaker or agent
        self.office = office
        self.acquired_on = acquired_on
        self.payments = []
        self.last_period = None
        self.ended_on = None
        self.again = False  # enrolled again after lapsing
        self._pk = None

    @property
    def pk(self):
        """The acquisition's primary key, once written."""
        return self._pk


class NewWorker:
    """A worker enrolled for the first time here: the participant's fields (``participant_values``) and,
    once written, the primary key."""

    __slots__ = ("values", "pk")

    def __init__(self, values):
        self.values = values
        self.pk = None


class Present:
    """The plan (agents joining and leaving, acquisitions and payments month by month), then the rows."""

    def __init__(
        self,
        now,
        *,
        branch,
        rate,
        offices,
        agents,
        activity,
        acquisitions,
        paid,
        reacquired,
        people,
        channels,
        staying,
    ):
        self.now = now
        self.rng = random.Random(PRESENT_SEED)
        self.branch = branch
        self.rate = rate
        self.offices = offices
        self.agents = list(agents)
        self.history_agents = len(self.agents)
        self.weights = {agent.code: weight for agent, weight in zip(agents, activity, strict=True)}
        self.home = {agent.code: agent.office for agent in agents}  # the office each agent joined
        self.leaves = {}  # agent code -> the day they leave (after June 2022), perhaps after today
        self.reasons = {}  # agent code -> why they leave
        self.successors = {}  # agent code -> the colleague who took over their participants
        self.staying = {agent.code for agent in staying}
        self.people = people.sharing(self.rng)
        self.channels = channels
        self.history = acquisitions
        self.paid = paid
        self.reacquired_in_history = reacquired
        self.lives = []
        self.participants = []  # the new workers, in order of enrolment
        self.pending = []  # (lapse day, order, life): lapsing later; may be enrolled again after it
        self.available = defaultdict(list)  # office code -> lapsed lives an agent there may enrol again
        self.reacquired = 0
        self._pools = {}
        self._contributions = {}
        self._windows = {}

    # --- the plan ------------------------------------------------------------------------------------

    def plan(self):
        self._history_carried_on()
        month = FIRST_MONTH
        while month <= self.now.current_month:
            self._release_lapsed(month)
            self._train(month)
            self._acquire(month)
            month = shift_month(month, 1)

    def _history_carried_on(self):
        """The history's agents may leave from July 2022 on; its workers still paying in June 2022 go
        on paying a while, the others lapse (or had lapsed) and may be enrolled again."""
        for agent in self.agents:
            if agent.left_on is None and agent.code not in self.staying:
                self._will_leave(agent, self._leaving_day(FIRST_MONTH, AGENT_MONTHLY_LEAVING))
        earlier = set(self.reacquired_in_history.values())
        for index, (acquisition, periods) in enumerate(zip(self.history, self.paid, strict=True)):
            life = Life(
                key=index,
                participant=acquisition.participant,
                agent=acquisition.agent,
                office=acquisition.office,
                acquired_on=acquisition.acquired_on,
                acquisition=acquisition,
                caretaker=acquisition.caretaker,
            )
            life.monthly_contribution = acquisition.monthly_contribution
            life.last_period = periods[-1]
            self.lives.append(life)
            if index in earlier:
                life.again, life.ended_on = True, acquisition.ended_on
                continue
            if acquisition.status == Acquisition.Status.LAPSED:
                life.ended_on = acquisition.ended_on
            else:
                if life.last_period == LAST_PERIOD:
                    months = self._months_paying(STEADY_MONTHLY_STOP)
                    skipping = months > 2 and self.rng.random() < SKIPPING_SHARE
                    self._pay(life, FIRST_MONTH, months, self.channels.usual[index], skipping=skipping)
                life.ended_on = shift_month(life.last_period, MONTHS_UNPAID_BEFORE_LAPSE)
            heapq.heappush(self.pending, (life.ended_on, index, life))

    def _release_lapsed(self, month):
        """Workers lapsed before ``month`` may be enrolled again from it."""
        while self.pending and self.pending[0][0] < month:
            _ended_on, _order, life = heapq.heappop(self.pending)
            self.available[life.office.code].append(life)

    def _train(self, month):
        """A pembekalan on the second Wednesday of a training month, unless its agents could not all have
        joined by today."""
        if month.month not in TRAINING_MONTHS:
            return
        first_wednesday = month + datetime.timedelta(days=(2 - month.weekday()) % 7)
        trained_on = first_wednesday + datetime.timedelta(days=7)
        if trained_on + datetime.timedelta(days=JOINING_DAYS[1]) > self.now.records_end:
            return
        for _ in range(self.rng.randint(*TRAINED_PER_BATCH)):
            self._new_agent(trained_on)

    def _new_agent(self, trained_on):
        rng, people = self.rng, self.people
        office_code = self._next_office(trained_on)
        joined_on = trained_on + datetime.timedelta(days=rng.randint(*JOINING_DAYS))
        agent = new_agent(
            rng,
            people,
            branch=self.branch,
            office=self.offices[office_code],
            office_code=office_code,
            number=len(self.agents) + 1,
            joined_on=joined_on,
            trained_on=trained_on,
        )
        if rng.random() < RECRUITED_BY_AN_AGENT:
            colleagues = [
                other
                for other in self.agents
                if self._office_on(other, trained_on).code == office_code and self._working(other, trained_on)
            ]
            agent.recruited_by = rng.choice(colleagues) if colleagues else None
        self.weights[agent.code] = min(rng.paretovariate(1.2), MAX_AGENT_ACTIVITY)
        self.home[agent.code] = agent.office
        first_month = shift_month(joined_on, MONTHS_BEFORE_LEAVING)
        self._will_leave(agent, self._leaving_day(first_month, NEW_AGENT_MONTHLY_LEAVING))
        self.agents.append(agent)

    def _will_leave(self, agent, day):
        self.leaves[agent.code] = day
        inactive = self.rng.random() < INACTIVITY_SHARE
        self.reasons[agent.code] = (
            Agent.DeactivationReason.INACTIVITY if inactive else Agent.DeactivationReason.RESIGNED
        )

    def _next_office(self, day):
        """The office the next agent goes to: the rotation, past an office that has stopped."""
        position = len(self.agents)
        while True:
            code = RECRUITMENT_ROTATION[position % len(RECRUITMENT_ROTATION)]
            if code != SIDAREJA or day <= SIDAREJA_LAST_DAY:
                return code
            position += 1

    def _leaving_day(self, from_month, chance):
        """A day in the month an agent leaves: each month from ``from_month`` they may, by ``chance``."""
        month = shift_month(from_month, _geometric(self.rng, chance))
        return month + datetime.timedelta(days=self.rng.randrange(month_end(month).day))

    def _acquire(self, month):
        rng = self.rng
        count = monthly_acquisitions(month.year)[month.month - 1]
        days = [month + datetime.timedelta(days=n) for n in range(month_end(month).day)]
        for day in sorted(rng.choices(days, weights=[day_weight(d) for d in days], k=count)):
            if day > self.now.records_end:
                break
            agent = self._pick(day)
            office = self._office_on(agent, day)
            lapsed = self.available[office.code]
            if lapsed and rng.random() < REACQUIRED_SHARE:
                position = rng.randrange(len(lapsed))
                earlier = lapsed[position]
                lapsed[position] = lapsed[-1]
                lapsed.pop()
                earlier.again = True
                participant = earlier.participant
                self.reacquired += 1
            else:
                participant = NewWorker(participant_values(rng, self.people, agent, day))
                self.participants.append(participant)
            life = Life(
                key=("present", len(self.lives)),
                participant=participant,
                agent=agent,
                office=office,
                acquired_on=day,
            )
            life.declared_income = draw_declared_income(rng)
            life.with_jht = rng.random() < JHT_SHARE
            life.monthly_contribution = self._contribution(life.declared_income, life.with_jht)
            life.payments.append((month, day, Contribution.Channel.AGENT))
            life.last_period = month
            months = 0 if rng.random() < PAY_ONCE_SHARE else 1 + self._months_paying(MONTHLY_STOP)
            skipping = months > 2 and rng.random() < SKIPPING_SHARE
            self._pay(life, shift_month(month, 1), months, draw_channel(rng), skipping=skipping)
            life.ended_on = shift_month(life.last_period, MONTHS_UNPAID_BEFORE_LAPSE)
            self.lives.append(life)
            heapq.heappush(self.pending, (life.ended_on, len(self.lives), life))

    def _months_paying(self, chance):
        return min(_geometric(self.rng, chance), MAX_MONTHS)

    def _pay(self, life, first, months, usual, *, skipping):
        """``months`` months paid from ``first`` (the last always; a skipper misses some before it), each
        from the 1st of the month to the 10th of the next, mostly early and mostly the usual way."""
        rng = self.rng
        period = first
        for number in range(months):
            if not (skipping and number < months - 1 and rng.random() < SKIP_CHANCE):
                paid_on = period + datetime.timedelta(days=int(rng.triangular(0, self._window(period), 6)))
                channel = usual if rng.random() < USUAL_CHANNEL_SHARE else draw_channel(rng)
                if channel == Contribution.Channel.AGENT and self._left(life.agent, paid_on):
                    channel = Contribution.Channel.PAYMENT_POINT  # an agent who has left collects nothing
                life.payments.append((period, paid_on, channel))
                life.last_period = period
            period = _next_month(period)

    def _window(self, period):
        if period not in self._windows:
            self._windows[period] = month_end(period).day + DAYS_LATE_AFTER_MONTH_END
        return self._windows[period]

    def _contribution(self, income, with_jht):
        if (income, with_jht) not in self._contributions:
            self._contributions[income, with_jht] = self.rate.breakdown(income, with_jht=with_jht).total
        return self._contributions[income, with_jht]

    def _pick(self, day):
        """An agent working on ``day``, busier agents more often."""
        if day not in self._pools:
            working = [agent for agent in self.agents if self._working(agent, day)]
            weights = [self.weights[agent.code] * self._fading(agent, day) for agent in working]
            self._pools[day] = (working, list(accumulate(weights)))
        working, cumulative = self._pools[day]
        return self.rng.choices(working, cum_weights=cumulative)[0]

    # --- agents over time ----------------------------------------------------------------------------

    def _fading(self, agent, day):
        """How much of their usual an agent brings on ``day``: nothing in the months before they are
        deactivated for inactivity, less in the last weeks before they resign (so the activity pages see
        agents slip before they go)."""
        left_on = self.leaves.get(agent.code)
        if left_on is None:
            return 1
        if self.reasons[agent.code] == Agent.DeactivationReason.INACTIVITY:
            return 0 if (left_on - day).days <= SILENT_DAYS else 1
        return FADING if (left_on - day).days <= FADING_DAYS else 1

    def _left_on(self, agent):
        return agent.left_on or self.leaves.get(agent.code)

    def _left(self, agent, day):
        left_on = self._left_on(agent)
        return left_on is not None and left_on <= day

    def _working(self, agent, day):
        return agent.joined_on <= day and not self._left(agent, day)

    def _office_on(self, agent, day):
        home = self.home[agent.code]
        if home.code == SIDAREJA and day > SIDAREJA_LAST_DAY:
            return self.offices[MAJENANG]
        return home

    def looking_after(self, life, day):
        """The agent looking after ``life``'s worker on ``day``: the acquiring agent until they left, then
        the colleague who took over (the history's handover, then each leaver's successor)."""
        agent = life.agent
        if not self._left(agent, day):
            return agent
        agent = life.caretaker if life.caretaker is not life.agent else self._successor(agent)
        while self._left(agent, day):
            agent = self._successor(agent)
        return agent

    def _successor(self, agent):
        """Who takes over the participants of ``agent`` when they leave: a colleague of their office
        working that day (anyone working, in an office left without one)."""
        if agent.code not in self.successors:
            day = self._left_on(agent)
            office = self._office_on(agent, day - datetime.timedelta(days=1))
            working = [other for other in self.agents if other is not agent and self._working(other, day)]
            colleagues = [other for other in working if self._office_on(other, day) == office]
            self.successors[agent.code] = self.rng.choice(colleagues or working)
        return self.successors[agent.code]

    # --- the rows --------------------------------------------------------------------------------------

    def write_network(self):
        """The agents who joined, those who left by today (resigned), Sidareja's agents moved to Majenang,
        and the offices' standing; the history's acquisitions (not yet written) get their status and
        who looks after them today."""
        end = self.now.records_end
        changed, joined = [], []
        for position, agent in enumerate(self.agents):
            if agent.joined_on > end:
                continue
            left_on = self.leaves.get(agent.code)
            if left_on is not None and left_on <= end:
                agent.left_on, agent.status = left_on, Agent.Status.INACTIVE
                agent.deactivation_reason = self.reasons[agent.code]
            agent.office = self._office_on(agent, min(end, (agent.left_on or end) - datetime.timedelta(days=1)))
            (changed if position < self.history_agents else joined).append(agent)
        recruiters = {agent.code: agent.recruited_by for agent in joined}
        for agent in joined:
            agent.recruited_by = None
        Agent.objects.bulk_create(joined)
        for agent in joined:
            agent.recruited_by = recruiters[agent.code]
        Agent.objects.bulk_update(joined, ["recruited_by"])
        Agent.objects.bulk_update(changed, ["left_on", "status", "deactivation_reason", "office"])
        if end > SIDAREJA_LAST_DAY:
            sidareja = self.offices[SIDAREJA]
            sidareja.is_active = False
            sidareja.save(update_fields=["is_active"])
        for life in self.lives[: len(self.history)]:
            acquisition = life.acquisition
            if self._lapsed(life):
                acquisition.status, acquisition.ended_on = Acquisition.Status.LAPSED, life.ended_on
            acquisition.caretaker = self.looking_after(life, end)

    def _lapsed(self, life):
        return life.again or life.ended_on <= self.now.last_reported_month

    def write_records(self, participants, history_payments):
        """Every participant (the history's ``participants``, then the new ones) and acquisition, then
        every contribution: the history's (``history_payments``) and this module's that are in the
        records today. On PostgreSQL the report rollups are counted once at the end (``counted_after``)."""
        with counted_after():
            self._write_records(participants, history_payments)

    def _write_records(self, participants, history_payments):
        names = PARTICIPANT_FIELDS[1:]
        rows = [[self.branch.pk, *(getattr(p, name) for name in names)] for p in participants]
        rows += [[self.branch.pk, *(worker.values[name] for name in names)] for worker in self.participants]
        ids = insert_rows(Participant, PARTICIPANT_FIELDS, rows)
        for participant, pk in zip([*participants, *self.participants], ids, strict=True):
            participant.pk = pk
        end = self.now.records_end
        rows = []
        for life in self.lives:
            acquisition = life.acquisition
            if acquisition is not None:
                status, ended_on, caretaker = acquisition.status, acquisition.ended_on, acquisition.caretaker
                income, with_jht = acquisition.declared_income, acquisition.with_jht
            else:
                lapsed = self._lapsed(life)
                status = Acquisition.Status.LAPSED if lapsed else Acquisition.Status.ACTIVE
                ended_on, caretaker = life.ended_on if lapsed else None, self.looking_after(life, end)
                income, with_jht = life.declared_income, life.with_jht
            rows.append(
                (
                    life.participant.pk,
                    life.agent.pk,
                    caretaker.pk,
                    self.branch.pk,
                    life.office.pk,
                    life.acquired_on,
                    status,
                    ended_on,
                    self.rate.pk,
                    income,
                    with_jht,
                    life.monthly_contribution,
                )
            )
        for life, pk in zip(self.lives, insert_rows(Acquisition, ACQUISITION_FIELDS, rows), strict=True):
            if life.acquisition is not None:
                life.acquisition.pk = pk
            life._pk = pk
        write_contributions([*history_payments, *self._payments()])

    def _payments(self):
        """The ``Payment`` of every month paid here that the records hold today: what agents collected up
        to today, what came through channels in the months they have reported. Receipt numbers follow
        the history's, in the order paid."""
        end, reported = self.now.records_end, self.now.last_reported_month
        agent = Contribution.Channel.AGENT
        held = []
        for life in self.lives:
            for period, paid_on, channel in life.payments:
                if paid_on <= end and (channel == agent or period <= reported):
                    held.append((paid_on, life, period, channel))
        held.sort(key=lambda payment: payment[0])  # stable: the order drawn within a day
        channels = self.channels
        for paid_on, life, period, channel in held:
            collected = channel == agent
            name = "" if collected else channels.name(life.key, channel)
            yield Payment(
                acquisition=life,
                period=period,
                amount=life.monthly_contribution,
                paid_on=paid_on,
                channel=channel,
                receipt_number=channels.receipt(paid_on) if collected else "",
                collected_by=life.agent if collected else None,
                credited_to=self.looking_after(life, paid_on),
                channel_name=name,
                reference="" if collected else channels.reference(name, paid_on),
            )

    def write_targets(self):
        """The targets of every year after 2022 up to today's (see the module's story)."""
        end = self.now.records_end
        per_year, per_office, per_agent = Counter(), Counter(), Counter()
        for life in self.lives:
            year = life.acquired_on.year
            per_year[year] += 1
            per_office[life.office.code, year] += 1
            per_agent[life.agent.code, year] += 1
        targets = []
        for year in range(FIRST_MONTH.year + 1, end.year + 1):
            before, new_year = year - 1, datetime.date(year, 1, 1)
            branch_target = math.ceil(per_year[before] * TARGET_GROWTH / 50) * 50
            targets.append(AcquisitionTarget(year=year, branch=self.branch, target=branch_target))
            offices = [office for code, office in self.offices.items() if code != SIDAREJA or year <= 2024]
            shares = largest_remainder(branch_target, [per_office[office.code, before] for office in offices])
            targets += [
                AcquisitionTarget(year=year, branch=self.branch, office=office, target=target)
                for office, target in zip(offices, shares, strict=True)
            ]
            for agent in self.agents:
                if agent.joined_on < new_year and self._working(agent, new_year):
                    since = max(agent.joined_on, datetime.date(before, 1, 1))
                    months = max(12 - since.month + 1, 3)
                    pace = per_agent[agent.code, before] * 12 / months * AGENT_TARGET_GROWTH
                    target = max(AGENT_TARGET_FLOOR, 5 * math.ceil(pace / 5))
                    targets.append(AcquisitionTarget(year=year, branch=self.branch, agent=agent, target=target))
        AcquisitionTarget.objects.bulk_create(targets)


def monthly_acquisitions(year):
    """The acquisitions of each month of ``year`` (twelve numbers; 2022's first six are the history's)."""
    total = yearly_acquisitions(year)
    if year == LAST_PERIOD.year:
        first_half = [0] * LAST_PERIOD.month
        return first_half + largest_remainder(total - HISTORY_FIRST_HALF_2022, SEASON[LAST_PERIOD.month :])
    weights = list(SEASON)
    lebaran = IDUL_FITRI.get(year)
    if lebaran:
        weights[lebaran.month - 1] *= LEBARAN_MONTH
    return largest_remainder(total, weights)


HISTORY_FIRST_HALF_2022 = 2336


def yearly_acquisitions(year):
    if year in YEARLY_ACQUISITIONS:
        return YEARLY_ACQUISITIONS[year]
    last = max(YEARLY_ACQUISITIONS)
    return round(YEARLY_ACQUISITIONS[last] * LATER_GROWTH ** (year - last))


def day_weight(day):
    """As in the history (weekends, Lebaran 2021-2022), and the Lebaran break of the later years."""
    lebaran = IDUL_FITRI.get(day.year)
    if lebaran and lebaran - LEBARAN_BREAK[0] <= day <= lebaran + LEBARAN_BREAK[1]:
        return 0.1
    return history_day_weight(day)


@functools.cache
def _next_month(period):
    return shift_month(period, 1)


def _geometric(rng, chance):
    """How many months go by before something with ``chance`` a month happens (0, 1, 2 ...)."""
    return int(rng.expovariate(-math.log(1 - chance)))


# --- writing ---------------------------------------------------------------------------------------

PARTICIPANT_FIELDS = [
    "branch",
    "nik",
    "full_name",
    "gender",
    "birth_date",
    "phone",
    "address",
    "kecamatan",
    "desa",
    "district",
    "village",
    "occupation",
    "kpj_number",
]
ACQUISITION_FIELDS = [
    "participant",
    "agent",
    "caretaker",
    "branch",
    "office",
    "acquired_on",
    "status",
    "ended_on",
    "rate",
    "declared_income",
    "with_jht",
    "monthly_contribution",
]


@contextlib.contextmanager
def counted_after():
    """PostgreSQL: the rollups' statement-level triggers (``reports.rollups``) recount the participants
    each statement touches; over the demo's quarter of a million rows that takes minutes, counting them
    all once afterwards (``rollups.rebuild``) a second or two. So the tables' own (user) triggers are off
    while the demo writes, in its transaction (an error rolls the switch back with the rows), and the
    rollups are rebuilt after. SQLite's triggers count a row at a time and stay on."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [connection.ops.quote_name(model._meta.db_table) for model in (Acquisition, Contribution)]
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # a table with checks pending cannot be altered
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django declares its foreign keys
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    rollups.rebuild()


def insert_rows(model, fields, rows):
    """Insert ``rows`` (values in the order of ``fields``, as the fields hold them) into ``model``'s table
    with explicit primary keys after the highest one, in multi-row INSERTs; return the keys given. On
    PostgreSQL the table's sequence is moved past them."""
    rows = list(rows)
    first = (model.objects.aggregate(highest=Max("pk"))["highest"] or 0) + 1
    ids = list(range(first, first + len(rows)))
    _insert(model, ["id", *fields], ([pk, *row] for pk, row in zip(ids, rows, strict=True)))
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)
    return ids


def write_contributions(payments):
    """Write every ``Payment`` as a contribution (no payments file: the demo imported none)."""
    _insert(
        Contribution,
        [
            "acquisition",
            "period",
            "amount",
            "paid_on",
            "channel",
            "receipt_number",
            "collected_by",
            "credited_to",
            "channel_name",
            "reference",
        ],
        (
            (
                payment.acquisition.pk,
                payment.period,
                payment.amount,
                payment.paid_on,
                payment.channel,
                payment.receipt_number,
                payment.collected_by.pk if payment.collected_by else None,
                payment.credited_to.pk if payment.credited_to else None,
                payment.channel_name,
                payment.reference,
            )
            for payment in payments
        ),
    )


def _insert(model, fields, rows):
    """Write ``rows`` into ``fields`` of ``model``'s table through the driver, not Django's cursor (with
    DEBUG on, Django would keep and format every statement with its thousands of values): on PostgreSQL
    with COPY, on SQLite with multi-row INSERTs of as many rows as a statement takes."""
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    connection.ensure_connection()
    with connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            with connection.connection.cursor() as cursor:
                for chunk in _chunks(rows, COPY_ROWS):
                    cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", io.StringIO(_copy_text(chunk)))
            return
        placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
        per_statement = min(BATCH_SIZE, connection.features.max_query_params // len(fields))
        statements = {}
        batch = []
        cursor = connection.create_cursor()
        try:
            cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE_KIB}")
            for row in rows:
                batch.extend(row)
                if len(batch) == per_statement * len(fields):
                    _execute(cursor, statements, table, columns, placeholder, batch, len(fields))
                    batch = []
            if batch:
                _execute(cursor, statements, table, columns, placeholder, batch, len(fields))
        finally:
            cursor.close()


COPY_ROWS = 50_000


def _chunks(rows, size):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _copy_text(rows):
    """``rows`` in COPY's text format: tab between values, ``\\N`` for NULL."""
    return "".join("\t".join(map(_copy_value, row)) + "\n" for row in rows)


def _copy_value(value):
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(COPY_ESCAPES)
    return str(value)  # numbers, Decimal and dates as PostgreSQL reads them


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


# SQLite keeps 2 MB of the database in memory by default; the demo's tables and indexes are tens of MB,
# written in no order of theirs, so the seed's connection keeps them all (negative: KiB).
SQLITE_CACHE_KIB = -262_144


def _execute(cursor, statements, table, columns, placeholder, values, width):
    count = len(values) // width
    if count not in statements:
        statements[count] = f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholder] * count)}"
    cursor.execute(statements[count], values)
