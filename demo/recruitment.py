"""Demo data: how Cilacap recruited its agents, and the candidates on the way when the records end.

The story (issue #22): every agent of the demo came through a pembekalan of the branch. The agents were
trained in batches (``demo.cilacap.TRAINING_BATCHES`` to June 2022, then every quarter in
``demo.present``), so each day agents were trained on (``Agent.trained_on``) is one training session,
held in the branch's hall, a kecamatan office or a balai desa, with a trainer of the branch, a capacity,
the materials of its day and a pass mark of 70. Each agent is an activated candidate with their own NIK,
name and address, registered a few weeks before the session, whose seat there attended and passed; a
few of them had failed or missed the session before and passed at the retake. Around them sit the
others: some failed (a few retook the next session; those who passed a retake before the last agents'
session withdrew, the ones who passed it there wait for activation), some were absent (invited again,
or they withdrew), some passed and then withdrew, and a few withdrew before being invited, each
withdrawal with its reason. The sessions before 2021 are there because a third of the agents were
trained in 2020.

"Now" for the demo is ``demo.cilacap.DemoNow``, the day its records end (by default the day it is
seeded): a session was held on its ``recent_session`` (a Wednesday three to nine days back) with its
attendance taken and the scores entered two days later for the first part of the list (in name order),
those absent there are invited to the next session two weeks after it with the newly invited, a session
seven weeks after it has no one invited yet, and a few candidates registered in the last two weeks wait
for an invitation. Since April 2022 (the "New Perisai" terms) agents bring candidates in
(``recruited_by``); the agents trained to June 2022 were all found by the branch (their
``recruited_by`` is empty), and so are their candidacies; of those trained since, about half were
brought in by an agent.

Choices:
- Nothing of the agents changes and nothing is drawn from the demo's main ``random.Random``: this part
  draws from its own (``RECRUITMENT_SEED``) after the rest is written, so every acquisition, figure and
  name of the demo stays as it was, and every run writes the same candidates.
- NIKs of people new to the demo are built with ``build_nik``, checked with ``validate_nik``, and never
  repeat an agent's, a participant's or another candidate's; an agent's candidacy carries the agent's own,
  a participant's the participant's.
- Stages move as ``recruitment.services`` moves them: absent from a session, a candidate is back at
  registered (or failed, after a retake) until invited again; a withdrawal's reason is also the reason
  of its history row; an agent's candidacy carries the agent's declaration date (activation carries a
  candidate's to the agent) and its passing seat is the agent's training day.
- Many candidates are BPU participants already, workers an agent enrolled who now want to become agents:
  ``candidate_activate`` asks for an enrolled, not lapsed participant of the branch, so everyone who
  passed and waits for activation is one (someone trying the demo can activate them), and so is half of
  each stage on the way (registered, invited to a session, awaiting their result). Such a
  candidate is the participant: their NIK, name, gender, birth date, phone, kecamatan and desa, a
  participant of the branch whose standing acquisition is active and current on the demo's today,
  acquired before the candidate registered, 20 to 50 years old from registration to today, neither an
  agent nor another candidate. One an agent recruited is, when there is one, a worker that agent
  enrolled; one the branch found lives in the kecamatan they would have lived in otherwise. They are
  chosen after the plan, from their own ``random.Random`` (``ENROLLED_SEED``): the person the plan drew
  for them is still drawn, so sessions, seats, stages and history stay as they were. At the recent session the
  scores were entered down the list in name order, so a candidate with a score there takes a name
  before the first without one, and one still waiting a name from it on.
- No participant or acquisition is written here: the demo's figures stay those of ``demo.cilacap``.
- Rows are written with ``bulk_create``, which skips simple-history, so the history is written here:
  one row for each step of the story on its day (a candidate registered, invited, present or absent,
  passed or failed, activated or withdrawn; a seat's invitation, attendance and score; a session's
  creation), by the branch's staff account, or the recruiting agent's login for a registration, so a
  candidate's page shows how they got where they are. Its last row is the record as it stands.
"""

import datetime
import functools
import random
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils import timezone

from agents.models import Agent, User
from agents.scoping import Scope
from demo.cilacap import KECAMATAN_CODE_BY_NAME, OFFICE_KECAMATAN, People
from enrollment.models import Acquisition, Participant
from enrollment.paying import standing_acquisitions
from perisai.months import years_before
from perisai.nik import build_nik, validate_nik
from recruitment.models import Candidate, Seat, TrainingSession

RECRUITMENT_SEED = 20220706
ENROLLED_SEED = 20220707  # which candidates are participants already, and which participants they are
PASS_MARK = 70
NEW_TERMS_FROM = datetime.date(2022, 4, 1)  # "New Perisai": agents recruit, the sessions teach the new terms


class Place(NamedTuple):
    name: str
    office_code: str | None  # new candidates at a session here live in this office's area; None: anywhere
    capacity: int
    starts_at: datetime.time = datetime.time(9, 0)


BRANCH_HALL = Place("Aula Kantor Cabang BPJS Ketenagakerjaan Cilacap", None, 30, datetime.time(8, 30))
KROYA = Place("Pendopo Kecamatan Kroya", "CLP-03", 25)
SIDAREJA = Place("Aula Kantor Kecamatan Sidareja", "CLP-04", 25)
# Where the sessions the agents came from were held, in turn.
PLACES = (
    BRANCH_HALL,
    Place("Balai Desa Pahonjean, Kecamatan Majenang", "CLP-02", 20),
    KROYA,
    BRANCH_HALL,
    SIDAREJA,
    Place("Balai Desa Karangkandri, Kecamatan Kesugihan", "CLP-01", 20),
    BRANCH_HALL,
    Place("Aula Kantor Kecamatan Majenang", "CLP-02", 25),
    Place("Balai Desa Adipala, Kecamatan Adipala", "CLP-03", 20),
    BRANCH_HALL,
)
# The sessions around the demo's today (``DemoNow.recent_session``, a Wednesday three to nine days
# back): days after it, place, days after it the scores were entered (None: not held yet).
RECENT_SESSION = (0, KROYA, 2)
NEXT_SESSION = (14, BRANCH_HALL, None)
PLANNED_SESSION = (49, SIDAREJA, None)

TRAINERS = (
    "Rina Wulandari, Bidang Kepesertaan",
    "Bambang Suryadi, Kepala Bidang Kepesertaan",
    "Rina Wulandari dan Teguh Prasetyo, Bidang Kepesertaan",
)
MATERIALS_BEFORE_2022 = (
    "Program BPJS Ketenagakerjaan bagi pekerja BPU: JKK, JKM dan JHT",
    "Iuran BPU dan cara membayarnya",
    "Mendaftarkan peserta dan memeriksa NIK",
    "Aplikasi BPJSTKU",
    "Menjaga peserta tetap membayar iuran",
    "Insentif agen: 7,5% dari iuran dan bonus akuisisi",
    "Etika dan kode perilaku agen Perisai",
)
MATERIALS_2022 = (
    "Program BPJS Ketenagakerjaan bagi pekerja BPU: JKK, JKM dan JHT",
    "Iuran BPU dan kanal pembayaran: agen, payment point, aplikasi, bank",
    "Mendaftarkan peserta dan memeriksa NIK",
    "Aplikasi JMO (Jamsostek Mobile)",
    "Menjaga peserta tetap membayar iuran",
    "Insentif agen: 7,5% dari iuran dan bonus akuisisi",
    "Etika dan kode perilaku agen Perisai",
)
MATERIALS_NEW_TERMS = (
    *MATERIALS_2022[:5],
    "Ketentuan New Perisai 2022 (Perdir 13/PERDIR.02/042022): insentif dan syarat keaktifan",
    MATERIALS_2022[6],
)
SESSION_LEAD_DAYS = 42  # a session is put in the calendar six weeks ahead

AGENTS_WHO_RETOOK = 6
NEW_AT_RECENT = 14
ABSENT_AT_RECENT = 2
NEW_AT_NEXT = 10
WAITING_FOR_INVITATION = 7
RECENT_SCORES_ENTERED = 0.6  # the share of the recent session's attendance list, in name order, scored
RECRUITED_BY_AGENT_SHARE = 0.5
ENROLLED_SHARE = 0.5  # of each stage on the way (registered, invited, trained): participants already
CANDIDATE_AGES = (20, 50)  # a participant becoming a candidate: this old from registration to today
PARTICULARS = ("nik", "full_name", "gender", "birth_date", "phone", "kecamatan", "desa", "district", "village")

WITHDRAWN_AFTER_ABSENCE = (
    "Tidak hadir pembekalan dan tidak dapat dihubungi lagi",
    "Diterima bekerja di pabrik di Cikarang",
    "Berangkat bekerja ke luar negeri sebagai PMI",
    "Merawat orang tua yang sakit, belum dapat bergabung",
)
WITHDRAWN_AFTER_PASSING = (
    "Diterima sebagai tenaga honorer di kantor desa",
    "Memilih mengurus usaha warungnya sendiri",
    "Pindah domisili ke luar Kabupaten Cilacap",
    "Berangkat bekerja ke luar negeri sebagai PMI",
)
WITHDRAWN_AFTER_FAILING = ("Tidak lulus dan memilih tidak mengulang pembekalan",)
WITHDRAWN_BEFORE_INVITATION = (
    "Terpilih menjadi perangkat desa",
    "Tidak bersedia meninggalkan pekerjaan utamanya",
    "Pindah ke Jakarta mengikuti keluarga",
)

# When in the day staff do things (hour, minute); a registration's time is drawn.
INVITED_AT, SCORED_AT, ACTIVATED_AT, WITHDRAWN_AT = (10, 0), (14, 0), (10, 30), (11, 0)
SESSION_CREATED_AT = (9, 0)

# Outcomes of a seat.
PASS, FAIL, ABSENT, PRESENT, INVITED = "pass", "fail", "absent", "present", "invited"


@dataclass
class SessionPlan:
    held_on: datetime.date
    place: Place
    trainer: str
    scores_on: datetime.date | None  # the day the scores are entered
    seats: list = field(default_factory=list)
    row: TrainingSession | None = None


@dataclass
class Journey:
    """One candidate: who they are, how they came in, their seats in order and how it ended."""

    person: dict
    registered_on: datetime.date
    registered_by: User | None
    recruited_by: Agent | None = None
    agent: Agent | None = None
    seats: list = field(default_factory=list)
    withdrawn: tuple | None = None  # (on, reason)
    row: Candidate | None = None

    @property
    def declared_on(self):
        """The day they declared not to be a BPJS Ketenagakerjaan employee: on registering, or for an
        agent the agent's date (activation carries the candidate's declaration to the agent)."""
        if self.agent is not None and self.agent.declared_not_bpjs_employee_on:
            return self.agent.declared_not_bpjs_employee_on
        return self.registered_on


class Enrollable(NamedTuple):
    """A participant who may be a candidate: their particulars, and the agent and day of their standing
    acquisition."""

    person: dict
    enrolled_by_id: int
    enrolled_on: datetime.date


@dataclass
class SeatPlan:
    session: SessionPlan
    journey: Journey
    invited_on: datetime.date
    attended: bool | None = None
    score: int | None = None
    row: Seat | None = None


class Step(NamedTuple):
    """One change of a candidate's stage: on which day, at what time (hour, minute), by whom, why."""

    on: datetime.date
    at: tuple
    stage: str
    user: User | None
    reason: str = ""


def seed_recruitment(*, branch, now):
    """Write the recruitment story of the demo ``branch``, whose agents and accounts are written, as of
    ``now`` (``demo.cilacap.DemoNow``); return the number of candidates."""
    story = Story(random.Random(RECRUITMENT_SEED), branch=branch, now=now)
    story.plan()
    story.write()
    return len(story.journeys)


class Story:
    """The plan (sessions, candidates and their seats, as plain objects), then the rows and history."""

    def __init__(self, rng, *, branch, now):
        self.rng = rng
        self.people = People(rng)
        self.branch = branch
        self.now = now
        self.today = now.records_end
        self.staff = User.objects.filter(branch=branch, role=User.Role.STAFF).order_by("pk").first()
        self.agents = list(Agent.objects.filter(branch=branch).select_related("office", "user").order_by("code"))
        self.taken_niks = (
            set(Agent.objects.values_list("nik", flat=True))
            | set(Participant.objects.values_list("nik", flat=True))
            | set(Candidate.objects.values_list("nik", flat=True))
        )
        self.sessions = []
        self.journeys = []
        self.chooser = random.Random(ENROLLED_SEED)
        self.enrollable = self._enrollable()
        self.roster_cut = (None, None)  # the recent session and the first name on its list with no score

    # --- the plan ------------------------------------------------------------------------------------

    def plan(self):
        trained = sorted({agent.trained_on for agent in self.agents if agent.trained_on})
        held = [
            self._session(day, PLACES[i % len(PLACES)], day + datetime.timedelta(days=1))
            for i, day in enumerate(trained)
        ]
        recent, upcoming, planned = (
            self._session(self._around_today(days), place, self._around_today(days + scored) if scored else None)
            for days, place, scored in (RECENT_SESSION, NEXT_SESSION, PLANNED_SESSION)
        )
        self.sessions = [*held, recent, upcoming, planned]
        self._agents_trained(held)
        carried = []
        for i, session in enumerate(held):
            carried = self._others_at(session, carried, place_in_line=len(held) - 1 - i)
        self._recent(recent, upcoming, carried)
        for _ in range(NEW_AT_NEXT):
            self._fresh(upcoming, INVITED)
        # The agents with a login (agen1, agen2) each registered one of them, so their own pages show one.
        with_login = [agent for agent in self.agents if agent.user_id and agent.left_on is None]
        for n in range(WAITING_FOR_INVITATION):
            registered_on = self.today - datetime.timedelta(days=self.rng.randint(1, 14))
            recruiter = with_login[n] if n < len(with_login) else None
            self._new_journey(registered_on, office_code=None, recruiter=recruiter)
        self._participants_already()

    def _around_today(self, days):
        return self.now.recent_session + datetime.timedelta(days=days)

    def _session(self, held_on, place, scores_on):
        return SessionPlan(held_on, place, self.rng.choice(TRAINERS), scores_on)

    def _agents_trained(self, held):
        """Every agent an activated candidate with a passing seat at the session of their trained_on; a
        few failed or missed the session before and passed this one."""
        index = {session.held_on: i for i, session in enumerate(held)}
        agents = [agent for agent in self.agents if agent.trained_on]
        retook = set(self.rng.sample([a.code for a in agents if index[a.trained_on] > 0], AGENTS_WHO_RETOOK))
        for agent in agents:
            session = held[index[agent.trained_on]]
            before = held[index[agent.trained_on] - 1] if agent.code in retook else None
            journey = self._registered(self._person_of(agent), before or session)
            journey.agent, journey.recruited_by = agent, agent.recruited_by
            if before:
                self._seat(journey, before, ABSENT if self.rng.random() < 0.3 else FAIL)
            self._seat(journey, session, PASS)

    def _others_at(self, session, carried, *, place_in_line):
        """The others at a session the agents came from (``place_in_line`` sessions before the last): those
        carried from the session before, and new ones who failed, were absent, passed and then withdrew,
        or withdrew before being invited. Returns the candidates carried to the next session with their
        outcome there."""
        last = place_in_line == 0
        for journey, outcome in carried:
            self._seat(journey, session, outcome)
            if outcome == PASS and not last:
                self._withdraw(journey, session.scores_on, WITHDRAWN_AFTER_PASSING)
        onward = []
        for n in range(self.rng.randint(1, 3)):
            journey = self._fresh(session, FAIL)
            if (place_in_line == 1 and n == 0) or self.rng.random() < 0.4:
                onward.append((journey, self._retake_outcome(place_in_line)))
            elif self.rng.random() < 0.25:
                self._withdraw(journey, session.scores_on, WITHDRAWN_AFTER_FAILING)
        for _ in range(self.rng.randint(0, 2)):
            journey = self._fresh(session, ABSENT)
            if self.rng.random() < 0.5:
                onward.append((journey, self._retake_outcome(place_in_line)))
            else:
                self._withdraw(journey, session.held_on, WITHDRAWN_AFTER_ABSENCE)
        if not last and self.rng.random() < 0.6:
            self._withdraw(self._fresh(session, PASS), session.scores_on, WITHDRAWN_AFTER_PASSING)
        if self.rng.random() < 0.4:
            journey = self._registered(None, session)
            self._withdraw(journey, journey.registered_on, WITHDRAWN_BEFORE_INVITATION)
        return onward

    def _retake_outcome(self, place_in_line):
        """At the recent session, after the last the agents came from, the score may not be in yet; at the
        last one the retake passes; at earlier ones it failed again or passed."""
        if place_in_line == 0:
            return PRESENT
        if place_in_line == 1:
            return PASS
        return PASS if self.rng.random() < 0.4 else FAIL

    def _recent(self, recent, upcoming, carried):
        """The recent session: attendance taken, scores entered for the first part of the list in name
        order, those absent invited again to the next one."""
        for journey, outcome in carried:
            self._seat(journey, recent, outcome)
        absent = set(self.rng.sample(range(NEW_AT_RECENT), ABSENT_AT_RECENT))
        for n in range(NEW_AT_RECENT):
            self._fresh(recent, ABSENT if n in absent else PRESENT)
        present = sorted((seat for seat in recent.seats if seat.attended), key=lambda s: s.journey.person["full_name"])
        entered = round(len(present) * RECENT_SCORES_ENTERED)
        for seat in present[:entered]:
            seat.score = self._score(passing=self.rng.random() < 0.8)
        self.roster_cut = (recent, present[entered].journey.person["full_name"] if entered < len(present) else None)
        for seat in [seat for seat in recent.seats if seat.attended is False]:
            self._seat(seat.journey, upcoming, INVITED, invited_on=recent.held_on + datetime.timedelta(days=1))

    # --- candidates who are participants already ----------------------------------------------------

    def _enrollable(self):
        """The branch's participants a candidate may be, in NIK order: their standing acquisition active
        and current on today, at most ``CANDIDATE_AGES[1]`` years old today, with a phone, neither an
        agent nor a candidate (of any branch)."""
        born_after = years_before(self.today, CANDIDATE_AGES[1] + 1)
        standing = (
            standing_acquisitions(scope=Scope(branch=self.branch), day=self.today)
            .filter(status=Acquisition.Status.ACTIVE, is_current=True, participant__birth_date__gt=born_after)
            .exclude(participant__phone="")
            .exclude(participant__nik__in=Agent.objects.values("nik"))
            .exclude(participant__nik__in=Candidate.objects.values("nik"))
            .order_by("participant__nik")
        )
        fields = [f"participant__{name}" for name in PARTICULARS]
        return [
            Enrollable(dict(zip(PARTICULARS, row[:-2], strict=True)), *row[-2:])
            for row in standing.values_list(*fields, "agent_id", "acquired_on")
        ]

    def _participants_already(self):
        """Everyone who passed and waits for activation, and half of each stage on the way, made the
        participant they are (see the module's choices)."""
        stage = Candidate.Stage
        standing = {id(journey): self._steps(journey, registered_at=None)[-1].stage for journey in self.journeys}
        chosen = {id(journey) for journey in self.journeys if standing[id(journey)] == stage.PASSED}
        for on_the_way in (stage.REGISTERED, stage.INVITED, stage.TRAINED):
            group = [journey for journey in self.journeys if standing[id(journey)] == on_the_way]
            chosen.update(id(journey) for journey in self.chooser.sample(group, round(len(group) * ENROLLED_SHARE)))
        for journey in self.journeys:
            if id(journey) in chosen:
                journey.person = self._participant_for(journey)

    def _participant_for(self, journey):
        """A participant for ``journey``: acquired by the day they registered, old enough then; someone
        their recruiter enrolled, else someone of their kecamatan, else anyone; never twice."""
        fits = self._name_fits(journey)
        born_by = years_before(journey.registered_on, CANDIDATE_AGES[0])
        eligible = [
            person
            for person in self.enrollable
            if person.enrolled_on <= journey.registered_on
            and person.person["birth_date"] <= born_by
            and fits(person.person["full_name"])
        ]
        recruiter = journey.recruited_by
        for preferred in (
            [person for person in eligible if recruiter is not None and person.enrolled_by_id == recruiter.pk],
            [person for person in eligible if person.person["kecamatan"] == journey.person["kecamatan"]],
            eligible,
        ):
            if preferred:
                chosen = self.chooser.choice(preferred)
                self.enrollable.remove(chosen)
                return dict(chosen.person)
        raise AssertionError(f"No participant of the branch may be the candidate registered on {journey.registered_on}")

    def _name_fits(self, journey):
        """At the recent session the scores were entered down the list in name order: a candidate with a score there
        takes a name before the first without one, a candidate still waiting a name from it on."""
        session, cut = self.roster_cut
        seat = next((seat for seat in journey.seats if seat.session is session and seat.attended), None)
        if seat is None or cut is None:
            return lambda name: True
        if seat.score is not None:
            return lambda name: name < cut
        return lambda name: name >= cut

    # --- candidates and seats ------------------------------------------------------------------------

    def _fresh(self, session, outcome):
        """A new candidate registered and invited a few weeks before ``session``, with that outcome."""
        journey = self._registered(None, session)
        self._seat(journey, session, outcome)
        return journey

    def _registered(self, person, session):
        """A candidate (new when ``person`` is None) registered 3 to 8 weeks before ``session``."""
        registered_on = self._planned_from(session) - datetime.timedelta(days=self.rng.randint(21, 56))
        if person is None:
            return self._new_journey(registered_on, office_code=session.place.office_code)
        journey = Journey(person=person, registered_on=registered_on, registered_by=self.staff)
        self.journeys.append(journey)
        return journey

    def _new_journey(self, registered_on, *, office_code, recruiter=None):
        """Someone new: found by the branch, living in the area of the session's place (anywhere for the
        branch's hall), or from April 2022 perhaps brought in by an agent active that day (``recruiter``
        when given), living in the agent's kecamatan or office area."""
        if recruiter is None and registered_on >= NEW_TERMS_FROM and self.rng.random() < RECRUITED_BY_AGENT_SHARE:
            recruiter = self._recruiter(registered_on)
        if recruiter is None:
            code = self.rng.choice(OFFICE_KECAMATAN[office_code or self.rng.choice(sorted(OFFICE_KECAMATAN))])
        elif self.rng.random() < 0.6:
            code = KECAMATAN_CODE_BY_NAME[recruiter.kecamatan]
        else:
            code = self.rng.choice(OFFICE_KECAMATAN[recruiter.office.code])
        journey = Journey(
            person=self._new_person(code, registered_on),
            registered_on=registered_on,
            registered_by=recruiter.user if recruiter and recruiter.user else self.staff,
            recruited_by=recruiter,
        )
        self.journeys.append(journey)
        return journey

    def _recruiter(self, day):
        active = [a for a in self.agents if a.joined_on <= day and (a.left_on is None or day < a.left_on)]
        return self.rng.choice(active)

    def _new_person(self, code, registered_on):
        gender = self.people.gender(0.45)
        birth_date = self.people.birth_date(registered_on, youngest=20, oldest=50)
        return {
            "nik": self._nik(code, birth_date, gender),
            "full_name": self.people.name(gender),
            "gender": gender,
            "birth_date": birth_date,
            "phone": self.people.phone(),
            **self.people.place(code),
        }

    def _nik(self, code, birth_date, gender):
        while True:
            nik = build_nik(code, birth_date, gender, self.rng.randint(1, 9999))
            if nik not in self.taken_niks:
                validate_nik(nik)
                self.taken_niks.add(nik)
                return nik

    @staticmethod
    def _person_of(agent):
        return {name: getattr(agent, name) for name in PARTICULARS}

    def _seat(self, journey, session, outcome, *, invited_on=None):
        """A seat for ``journey`` at ``session``, invited one to three weeks before it (or on
        ``invited_on``), with ``outcome``: PASS, FAIL, ABSENT, PRESENT (no score yet) or INVITED."""
        invited_on = invited_on or self._planned_from(session) - datetime.timedelta(days=self.rng.randint(7, 20))
        seat = SeatPlan(session, journey, invited_on)
        if outcome != INVITED:
            seat.attended = outcome != ABSENT
        if outcome in (PASS, FAIL):
            seat.score = self._score(passing=outcome == PASS)
        journey.seats.append(seat)
        session.seats.append(seat)

    def _planned_from(self, session):
        """The day invitations and registrations are counted back from: the session's, but no later
        than a week after today, so nothing of a session still to come happened after today."""
        return min(session.held_on, self.today + datetime.timedelta(days=7))

    def _score(self, *, passing):
        return self.rng.randint(PASS_MARK, 95) if passing else self.rng.randint(45, PASS_MARK - 1)

    def _withdraw(self, journey, after, reasons):
        on = min(after + datetime.timedelta(days=self.rng.randint(3, 21)), self.today)
        journey.withdrawn = (on, self.rng.choice(reasons))

    # --- the rows and their history -------------------------------------------------------------------

    def write(self):
        self._write_sessions()
        self._write_candidates()
        self._write_seats()

    def _write_sessions(self):
        rows = []
        for session in self.sessions:
            session.row = TrainingSession(
                branch=self.branch,
                held_on=session.held_on,
                starts_at=session.place.starts_at,
                place=session.place.name,
                trainer=session.trainer,
                capacity=max(session.place.capacity, len(session.seats)),
                materials="\n".join(_materials(session.held_on)),
                pass_mark=PASS_MARK,
                created_by=self.staff,
            )
            rows.append(session.row)
        TrainingSession.objects.bulk_create(rows)
        created = [
            min(session.held_on - datetime.timedelta(days=SESSION_LEAD_DAYS), self.today - datetime.timedelta(days=2))
            for session in self.sessions
        ]
        _historical(TrainingSession).objects.bulk_create(
            [
                _history(session.row, _at(day, *SESSION_CREATED_AT), "+", self.staff)
                for session, day in zip(self.sessions, created, strict=True)
            ]
        )

    def _write_candidates(self):
        steps = {id(journey): self._steps(journey, self._registration_time()) for journey in self.journeys}
        for journey in self.journeys:
            last = steps[id(journey)][-1]
            journey.row = Candidate(
                branch=self.branch,
                registered_on=journey.registered_on,
                registered_by=journey.registered_by,
                declared_not_bpjs_employee_on=journey.declared_on,
                recruited_by=journey.recruited_by,
                stage=last.stage,
                stage_changed_on=last.on,
                agent=journey.agent if last.stage == Candidate.Stage.ACTIVATED else None,
                withdrawal_reason=last.reason,
                **journey.person,
            )
        Candidate.objects.bulk_create([journey.row for journey in self.journeys])
        history = []
        for journey in self.journeys:
            for n, step in enumerate(steps[id(journey)]):
                row = _history(
                    journey.row,
                    _at(step.on, *step.at),
                    "~" if n else "+",
                    step.user,
                    stage=step.stage,
                    stage_changed_on=step.on,
                    agent_id=journey.agent.pk if step.stage == Candidate.Stage.ACTIVATED else None,
                    withdrawal_reason=step.reason,
                )
                row.history_change_reason = step.reason or None  # as candidate_withdraw keeps it
                history.append(row)
        _historical(Candidate).objects.bulk_create(history)

    def _registration_time(self):
        return (8 + self.rng.randint(0, 7), self.rng.randint(0, 59))

    def _steps(self, journey, registered_at):
        """The stages a candidate went through, in order, as ``recruitment.services`` moves them: absent
        from a session, back where their seats left them (registered, or failed for a retake); the last
        step is where they stand. ``registered_at`` is the (hour, minute) of the registration."""
        stage = Candidate.Stage
        steps = [Step(journey.registered_on, registered_at, stage.REGISTERED, journey.registered_by)]
        settled = stage.REGISTERED
        for seat in journey.seats:
            session = seat.session
            steps.append(Step(seat.invited_on, INVITED_AT, stage.INVITED, self.staff))
            if seat.attended is not None:
                stage_then = stage.TRAINED if seat.attended else settled
                steps.append(Step(session.held_on, _hour(session.place.starts_at), stage_then, self.staff))
            if seat.score is not None:
                settled = stage.PASSED if seat.score >= PASS_MARK else stage.FAILED
                steps.append(Step(session.scores_on, SCORED_AT, settled, self.staff))
        if journey.agent is not None:
            steps.append(Step(journey.agent.joined_on, ACTIVATED_AT, stage.ACTIVATED, self.staff))
        if journey.withdrawn is not None:
            on, reason = journey.withdrawn
            steps.append(Step(on, WITHDRAWN_AT, stage.WITHDRAWN, self.staff, reason))
        days = [step.on for step in steps]
        if days != sorted(days) or days[-1] > self.today:
            raise AssertionError(f"The recruitment plan of {journey.person['full_name']} runs out of order: {days}")
        return steps

    def _write_seats(self):
        seats = [seat for session in self.sessions for seat in session.seats]
        for seat in seats:
            seat.row = Seat(
                session=seat.session.row,
                candidate=seat.journey.row,
                invited_on=seat.invited_on,
                attended=seat.attended,
                score=seat.score,
                passed=None if seat.score is None else seat.score >= PASS_MARK,
            )
        Seat.objects.bulk_create([seat.row for seat in seats])
        history = []
        for seat in seats:
            history.append(
                _history(
                    seat.row, _at(seat.invited_on, *INVITED_AT), "+", self.staff, attended=None, score=None, passed=None
                )
            )
            if seat.attended is not None:
                when = _at(seat.session.held_on, *_hour(seat.session.place.starts_at))
                history.append(_history(seat.row, when, "~", self.staff, score=None, passed=None))
            if seat.score is not None:
                history.append(_history(seat.row, _at(seat.session.scores_on, *SCORED_AT), "~", self.staff))
        _historical(Seat).objects.bulk_create(history)


def _materials(held_on):
    if held_on >= NEW_TERMS_FROM:
        return MATERIALS_NEW_TERMS
    return MATERIALS_2022 if held_on.year >= 2022 else MATERIALS_BEFORE_2022


def _hour(time):
    return (time.hour, time.minute)


def _at(day, hour, minute):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone())


def _history(row, when, kind, user, **state):
    """A simple-history row of ``row`` as it stood at ``when``: its saved fields with ``state``'s
    (attribute names) instead."""
    model = _historical(type(row))
    values = {tracked.attname: getattr(row, tracked.attname) for tracked in model.tracked_fields}
    values.update(state)
    return model(history_date=when, history_type=kind, history_user=user, **values)


@functools.cache
def _historical(model):
    """The history model of ``model`` (``model.history`` builds a manager at every access)."""
    return model.history.model
