"""The recruitment funnel (issue #22): candidates registered, trained, passed, activated and still active
3 and 6 months on, by month registered, by recruiter and by training session, beside what the new agents
acquired; its page, CSV, dashboard card and workbook sheet.

The data are built through the models (a candidate's stage and agent written directly), described once as
plain ``Spec`` records, and every expected figure is worked out from those records in Python with the
calendar's own ``add_months``, never read back from the report.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from agents.models import Agent, User
from agents.scoping import Scope
from perisai.months import add_months, month_start, shift_month
from recruitment.models import Candidate
from reports.catalogue import REPORTS
from reports.memo import sharing_results
from reports.periods import Period
from reports.recruitment import AddMonths, recruitment_funnel, recruitment_summary
from tests.factories import (
    AgentFactory,
    BranchFactory,
    CandidateFactory,
    PerisaiOfficeFactory,
    SeatFactory,
    TrainingSessionFactory,
    UserFactory,
)
from tests.reports.conftest import acquire
from web.reports.workbook import evaluation_workbook

pytestmark = pytest.mark.django_db

JUNE_2022 = Period(2022, 6)
TODAY = datetime.date(2026, 11, 26)


# --- the data, described once ---------------------------------------------------------------------


@dataclass
class Spec:
    """One candidate as the test made them: what the expectations are computed from."""

    registered_on: datetime.date
    recruiter: object = None
    seats: list = field(default_factory=list)  # (session, attended, passed)
    joined_on: datetime.date | None = None
    left_on: datetime.date | None = None
    office: object = None
    acquisitions: list = field(default_factory=list)
    stage: str = Candidate.Stage.REGISTERED
    stage_changed_on: datetime.date | None = None
    branch: object = None
    candidate: object = None
    agent: object = None


def make(spec, branch):
    """The candidate (and the agent they became, and that agent's acquisitions) ``spec`` describes."""
    spec.branch = branch
    candidate = CandidateFactory(
        branch=branch,
        registered_on=spec.registered_on,
        recruited_by=spec.recruiter,
        stage=Candidate.Stage.REGISTERED,
    )
    for session, attended, passed in spec.seats:
        SeatFactory(
            session=session,
            candidate=candidate,
            invited_on=session.held_on - datetime.timedelta(days=10),
            attended=attended,
            score=None if not attended else (80 if passed else 40),
            passed=None if not attended else passed,
        )
    changes = {"stage": spec.stage, "stage_changed_on": spec.stage_changed_on or spec.registered_on}
    if spec.joined_on:
        left = spec.left_on
        spec.agent = AgentFactory(
            branch=branch,
            office=spec.office,
            joined_on=spec.joined_on,
            left_on=left,
            status=Agent.Status.INACTIVE if left else Agent.Status.ACTIVE,
            deactivation_reason=Agent.DeactivationReason.RESIGNED if left else "",
            recruited_by=spec.recruiter,
        )
        changes.update(stage=Candidate.Stage.ACTIVATED, agent=spec.agent, stage_changed_on=spec.joined_on)
        for day in spec.acquisitions:
            acquire(spec.agent, day)
    if spec.stage == Candidate.Stage.WITHDRAWN:
        changes["withdrawal_reason"] = "Pindah kota"
    Candidate.objects.filter(pk=candidate.pk).update(**changes)
    spec.candidate = candidate
    return spec


SESSION_DAYS = [
    datetime.date(2021, 2, 15),
    datetime.date(2021, 6, 10),
    datetime.date(2021, 11, 20),
    datetime.date(2022, 3, 5),
    datetime.date(2022, 6, 20),
    datetime.date(2022, 7, 10),  # after June 2022: invitations only
]


def build_branch(cilacap, count):
    """``count`` candidates registered from November 2020 (before the funnel's months) to June 2022,
    recruited by the branch and by three agents, invited, failing and retaking, activated into both
    offices, some leaving, some acquiring; and one session after the period."""
    branch = cilacap["branch"]
    sessions = [TrainingSessionFactory(branch=branch, held_on=day, place=f"Aula {day:%m%Y}") for day in SESSION_DAYS]
    recruiters = [None, cilacap["ani"], cilacap["budi"], cilacap["citra"]]
    specs = []
    for i in range(count):
        index = i % 20
        registered = shift_month(datetime.date(2020, 11, 1), index).replace(day=(i * 7) % 28 + 1)
        spec = Spec(registered_on=registered, recruiter=recruiters[i % 4])
        upcoming = [session for session in sessions if session.held_on > registered]
        if i % 5 == 0 or not upcoming:
            if i % 10 == 0:
                spec.stage, spec.stage_changed_on = Candidate.Stage.WITHDRAWN, registered + datetime.timedelta(days=20)
            specs.append(make(spec, branch))
            continue
        first = upcoming[0]
        if first.held_on > JUNE_2022.end:
            spec.seats.append((first, None, None))
            spec.stage = Candidate.Stage.INVITED
            specs.append(make(spec, branch))
            continue
        attended = i % 7 != 1
        passed = attended and i % 3 != 0
        spec.seats.append((first, attended, passed if attended else None))
        passed_in = first if passed else None
        # A no-show goes back to the pool; a failed candidate waits for a retake, or gives up.
        spec.stage = {True: Candidate.Stage.PASSED, False: Candidate.Stage.FAILED}[passed] if attended else "registered"
        spec.stage_changed_on = first.held_on
        if attended and not passed and i % 2 == 0 and len(upcoming) > 1:
            retake = upcoming[1]
            if retake.held_on <= JUNE_2022.end:
                spec.seats.append((retake, True, True))
                passed_in, spec.stage, spec.stage_changed_on = retake, Candidate.Stage.PASSED, retake.held_on
            else:
                spec.seats.append((retake, None, None))
                spec.stage = Candidate.Stage.INVITED
        if passed_in and i % 4 != 3:
            spec.joined_on = passed_in.held_on + datetime.timedelta(days=i % 20)
            spec.office = cilacap["north"] if i % 2 else cilacap["south"]
            if i % 3 == 1:
                spec.left_on = spec.joined_on + datetime.timedelta(days=(i * 13) % 300)
            spec.acquisitions = [spec.joined_on + datetime.timedelta(days=35 * j) for j in range(i % 5)]
        specs.append(make(spec, branch))
    return specs


# --- the expectations, worked out from the specs -----------------------------------------------


def stayed(spec, months, as_of):
    """``None`` while not yet known; otherwise whether the agent was still active ``months`` after joining."""
    if not spec.joined_on:
        return None
    day = add_months(spec.joined_on, months)
    if day > as_of:
        return None
    return spec.left_on is None or spec.left_on > day


def cohort(specs, as_of):
    """The counts of a cohort of candidates, as ``FunnelRow`` holds them."""
    activated = [s for s in specs if s.joined_on and s.joined_on <= as_of]

    def held(seat):
        return seat[0].held_on <= as_of

    counts = {
        "candidates": len(specs),
        "trained": sum(1 for s in specs if any(held(seat) and seat[1] for seat in s.seats)),
        "passed": sum(1 for s in specs if any(held(seat) and seat[2] for seat in s.seats)),
        "activated": len(activated),
        "acquisitions": sum(1 for s in activated for day in s.acquisitions if day <= as_of),
        "acquisitions_first": sum(
            1 for s in activated for day in s.acquisitions if day <= as_of and day < add_months(s.joined_on, 3)
        ),
    }
    for months in (3, 6):
        known = [stayed(s, months, as_of) for s in activated if stayed(s, months, as_of) is not None]
        counts[f"known_{months}"] = len(known)
        counts[f"active_{months}"] = sum(known)
    return counts


def seat_cohort(seats, as_of):
    """The counts of a session's seats: ``seats`` are (spec, attended, passed)."""
    passed = [spec for spec, _attended, did_pass in seats if did_pass]
    activated = [s for s in passed if s.joined_on and s.joined_on <= as_of]
    counts = {
        "candidates": len(seats),
        "trained": sum(1 for _spec, attended, _passed in seats if attended),
        "passed": len(passed),
        "activated": len(activated),
        "acquisitions": sum(1 for s in activated for day in s.acquisitions if day <= as_of),
        "acquisitions_first": sum(
            1 for s in activated for day in s.acquisitions if day <= as_of and day < add_months(s.joined_on, 3)
        ),
    }
    for months in (3, 6):
        known = [stayed(s, months, as_of) for s in passed if stayed(s, months, as_of) is not None]
        counts[f"known_{months}"] = len(known)
        counts[f"active_{months}"] = sum(known)
    return counts


COUNTS = (
    "candidates",
    "trained",
    "passed",
    "activated",
    "known_3",
    "active_3",
    "known_6",
    "active_6",
    "acquisitions_first",
    "acquisitions",
)


def counts_of(row):
    return {name: getattr(row, name) for name in COUNTS}


def expected_funnel(specs, period, as_of):
    since = period.previous_start
    intake = [s for s in specs if since <= s.registered_on <= period.end]
    months = {}
    month = since
    while month <= period.end:
        months[month] = cohort([s for s in intake if month_start(s.registered_on) == month], as_of)
        month = shift_month(month, 1)
    recruiters = {}
    for spec in intake:
        recruiters.setdefault(spec.recruiter.code if spec.recruiter else None, []).append(spec)
    sessions = {}
    for spec in specs:
        for session, attended, passed in spec.seats:
            if since <= session.held_on <= period.end:
                sessions.setdefault(session.held_on, []).append((spec, attended, passed))
    return {
        "months": months,
        "recruiters": {code: cohort(members, as_of) for code, members in recruiters.items()},
        "sessions": {day: seat_cohort(seats, as_of) for day, seats in sorted(sessions.items())},
        "intake": cohort(intake, as_of),
    }


def expected_summary(specs, period, as_of):
    def in_progress(spec):
        if spec.registered_on > as_of or (spec.joined_on and spec.joined_on <= as_of):
            return False
        stopped = spec.stage in (Candidate.Stage.WITHDRAWN, Candidate.Stage.FAILED)
        return not (stopped and (spec.stage_changed_on or spec.registered_on) <= as_of)

    intake = cohort([s for s in specs if period.previous_start <= s.registered_on <= period.end], as_of)
    return {
        "in_progress": sum(1 for s in specs if in_progress(s)),
        "trained": sum(
            1 for s in specs if any(seat[1] and period.start <= seat[0].held_on <= as_of for seat in s.seats)
        ),
        "activated": sum(1 for s in specs if s.joined_on and period.start <= s.joined_on <= as_of),
        "known_6": intake["known_6"],
        "active_6": intake["active_6"],
    }


def assert_funnel_matches(funnel, specs, period, as_of):
    expected = expected_funnel(specs, period, as_of)
    assert {row.month: counts_of(row) for row in funnel.months} == expected["months"]
    assert {row.code: counts_of(row) for row in funnel.recruiters} == expected["recruiters"]
    assert [(row.held_on, counts_of(row)) for row in funnel.sessions] == list(expected["sessions"].items())
    assert counts_of(funnel.intake) == expected["intake"]


def summary_of(summary):
    return {name: getattr(summary, name) for name in ("in_progress", "trained", "activated", "known_6", "active_6")}


@pytest.fixture
def specs(cilacap):
    return build_branch(cilacap, 60)


# --- the figures ----------------------------------------------------------------------------------


def test_the_three_breakdowns_count_what_each_cohort_became(cilacap, specs):
    funnel = recruitment_funnel(scope=cilacap["scope"], period=JUNE_2022)

    assert funnel.since == datetime.date(2021, 1, 1) and funnel.as_of == JUNE_2022.end
    assert [row.month for row in funnel.months] == [shift_month(datetime.date(2021, 1, 1), n) for n in range(18)]
    assert_funnel_matches(funnel, specs, JUNE_2022, JUNE_2022.end)
    # The data reach every step, so the comparison above proves something.
    intake = funnel.intake
    assert intake.candidates > intake.trained > intake.passed > intake.activated > intake.known_6 > intake.active_6 > 0
    assert intake.acquisitions > intake.acquisitions_first > 0
    assert {row.code for row in funnel.recruiters} == {None, "ANI", "BUDI", "CITRA"}


def test_the_summary_counts_in_progress_trained_and_activated_in_the_period(cilacap, specs):
    summary = recruitment_summary(scope=cilacap["scope"], period=JUNE_2022)
    expected = expected_summary(specs, JUNE_2022, JUNE_2022.end)

    assert summary_of(summary) == expected
    assert summary.in_progress and summary.trained and summary.activated
    assert float(summary.active_6_share) == pytest.approx(100 * expected["active_6"] / expected["known_6"], abs=0.05)
    assert summary_of(recruitment_funnel(scope=cilacap["scope"], period=JUNE_2022).summary) == expected


def test_a_past_period_reads_as_it_stood_then(cilacap, specs):
    period = Period(2021, 9)
    funnel = recruitment_funnel(scope=cilacap["scope"], period=period)

    assert_funnel_matches(funnel, specs, period, period.end)
    assert summary_of(funnel.summary) == expected_summary(specs, period, period.end)


def test_a_running_period_is_read_today(cilacap):
    joined = datetime.date(2022, 3, 10)
    make(Spec(registered_on=datetime.date(2022, 1, 4), joined_on=joined, office=cilacap["north"]), cilacap["branch"])
    funnel = recruitment_funnel(scope=cilacap["scope"], period=JUNE_2022, today=datetime.date(2022, 6, 9))

    assert funnel.as_of == datetime.date(2022, 6, 9)
    assert (funnel.intake.known_3, funnel.intake.not_yet_known(3)) == (0, 1)  # 10 June is three months on
    later = recruitment_funnel(scope=cilacap["scope"], period=JUNE_2022, today=datetime.date(2022, 6, 10))
    assert (later.intake.known_3, later.intake.active_3) == (1, 1)


def test_an_agent_too_recent_is_neither_active_nor_gone(cilacap):
    make(
        Spec(registered_on=datetime.date(2022, 3, 1), joined_on=datetime.date(2022, 5, 2), office=cilacap["north"]),
        cilacap["branch"],
    )
    march = recruitment_funnel(scope=cilacap["scope"], period=JUNE_2022).months[14]

    assert march.month == datetime.date(2022, 3, 1) and march.activated == 1
    assert (march.known_3, march.active_3, march.not_yet_known(3), march.active_share(3)) == (0, 0, 1, None)
    assert (march.known_6, march.not_yet_known(6), march.active_share(6)) == (0, 1, None)
    later = recruitment_funnel(scope=cilacap["scope"], period=Period(2022, 12)).months[14]
    assert (later.known_3, later.active_3, later.not_yet_known(3), later.active_share(3)) == (1, 1, 0, 100)


def test_three_months_after_the_last_day_of_a_month_is_the_last_day_of_the_shorter_month(cilacap):
    """30 November + 3 months is 28 February: an agent leaving on 1 March stayed three months, one leaving
    on 28 February did not; both are known on 28 February. 31 January + 3 months is 30 April: an
    acquisition that day is no longer in the first three months."""
    branch, north = cilacap["branch"], cilacap["north"]
    make(
        Spec(
            registered_on=datetime.date(2021, 10, 1),
            joined_on=datetime.date(2021, 11, 30),
            left_on=datetime.date(2022, 3, 1),
            office=north,
        ),
        branch,
    )
    make(
        Spec(
            registered_on=datetime.date(2021, 10, 2),
            joined_on=datetime.date(2021, 11, 30),
            left_on=datetime.date(2022, 2, 28),
            office=north,
        ),
        branch,
    )
    make(
        Spec(
            registered_on=datetime.date(2021, 12, 1),
            joined_on=datetime.date(2022, 1, 31),
            office=north,
            acquisitions=[datetime.date(2022, 4, 29), datetime.date(2022, 4, 30)],
        ),
        branch,
    )
    october = recruitment_funnel(scope=cilacap["scope"], period=Period(2022, 2)).months[9]
    assert october.month == datetime.date(2021, 10, 1)
    assert (october.activated, october.known_3, october.active_3) == (2, 2, 1)

    december = recruitment_funnel(scope=cilacap["scope"], period=JUNE_2022).months[11]
    assert december.month == datetime.date(2021, 12, 1)
    assert (december.acquisitions_first, december.acquisitions) == (1, 2)


def test_add_months_in_the_database_is_the_calendars(cilacap):
    days = [
        datetime.date(2021, 11, 30),
        datetime.date(2021, 12, 31),
        datetime.date(2022, 1, 31),
        datetime.date(2023, 8, 31),
        datetime.date(2023, 11, 29),
        datetime.date(2024, 2, 29),
        datetime.date(2022, 6, 15),
    ]
    for day in days:
        AgentFactory(branch=cilacap["branch"], office=cilacap["north"], joined_on=day)
    agents = Agent.objects.filter(joined_on__in=days)
    for months in (1, 3, 6, 12):
        moved = agents.annotate(moved=AddMonths("joined_on", months)).values_list("joined_on", "moved")
        assert dict(moved) == {day: add_months(day, months) for day in days}
    assert agents.filter(joined_on__lt=AddMonths(F("joined_on"), 1)).count() == len(days)  # in a filter too


def test_each_session_counts_its_seats_and_the_agents_who_passed_there(cilacap, specs):
    funnel = recruitment_funnel(scope=cilacap["scope"], period=JUNE_2022)

    assert [row.held_on for row in funnel.sessions] == SESSION_DAYS[:5]  # July's session is after the period
    retaken = [spec for spec in specs if len(spec.seats) == 2 and spec.seats[1][2]]
    assert retaken  # a candidate who failed and passed a retake counts in both sessions, activated in the second
    assert sum(row.candidates for row in funnel.sessions) == sum(
        1 for spec in specs for session, _a, _p in spec.seats if session.held_on <= JUNE_2022.end
    )


def test_recruiters_are_ranked_by_agents_activated_and_the_branch_has_its_line(cilacap, specs):
    funnel = recruitment_funnel(scope=cilacap["scope"], period=JUNE_2022)

    ranked = [(row.activated, row.candidates) for row in funnel.recruiters]
    assert ranked == sorted(ranked, reverse=True)
    with translation.override("en"):
        branch = next(row for row in funnel.recruiters if row.code is None)
        assert branch.label == "The branch (no recruiting agent)" and branch.detail is None
        ani = next(row for row in funnel.recruiters if row.code == "ANI")
        assert ani.label == "Ani (ANI)" and ani.detail == cilacap["north"].name


# --- scope --------------------------------------------------------------------------------------


def test_an_office_counts_the_candidates_its_agents_recruited_or_that_joined_it(cilacap, specs):
    north = cilacap["north"]
    scope = Scope(branch=cilacap["branch"], office=north)
    mine = [s for s in specs if (s.recruiter and s.recruiter.office == north) or (s.office == north and s.joined_on)]
    assert 0 < len(mine) < len(specs)

    assert_funnel_matches(recruitment_funnel(scope=scope, period=JUNE_2022), mine, JUNE_2022, JUNE_2022.end)
    assert summary_of(recruitment_summary(scope=scope, period=JUNE_2022)) == expected_summary(
        mine, JUNE_2022, JUNE_2022.end
    )


def test_an_agent_counts_the_candidates_they_recruited(cilacap, specs):
    citra = cilacap["citra"]
    scope = Scope(branch=cilacap["branch"], office=citra.office, agent=citra)
    theirs = [s for s in specs if s.recruiter == citra]

    funnel = recruitment_funnel(scope=scope, period=JUNE_2022)
    assert_funnel_matches(funnel, theirs, JUNE_2022, JUNE_2022.end)
    assert [row.code for row in funnel.recruiters] == ["CITRA"]


def test_another_branchs_candidates_count_nationally_only(cilacap, specs):
    other = BranchFactory(code="BMS", name="Banyumas")
    office = PerisaiOfficeFactory(branch=other)
    session = TrainingSessionFactory(branch=other, held_on=datetime.date(2022, 2, 1), place="Aula Banyumas")
    theirs = make(
        Spec(
            registered_on=datetime.date(2022, 1, 10),
            seats=[(session, True, True)],
            joined_on=datetime.date(2022, 2, 5),
            office=office,
            acquisitions=[datetime.date(2022, 3, 1)],
        ),
        other,
    )

    assert_funnel_matches(recruitment_funnel(scope=cilacap["scope"], period=JUNE_2022), specs, JUNE_2022, JUNE_2022.end)
    assert_funnel_matches(
        recruitment_funnel(scope=Scope(), period=JUNE_2022), [*specs, theirs], JUNE_2022, JUNE_2022.end
    )
    table = REPORTS["recruitment"].table(scope=cilacap["scope"], period=JUNE_2022)
    assert "Banyumas" not in " ".join(str(value) for values in table.value_rows() for value in values)


# --- a fixed number of queries ------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 60])
def test_the_database_counts_in_a_fixed_number_of_queries(cilacap, django_assert_num_queries, count):
    build_branch(cilacap, count)
    with django_assert_num_queries(2):
        funnel = recruitment_funnel(scope=cilacap["scope"], period=JUNE_2022)
    with django_assert_num_queries(1):
        recruitment_summary(scope=cilacap["scope"], period=JUNE_2022)
    with django_assert_num_queries(2), sharing_results():  # the workbook's summary and sheet share the funnel
        recruitment_funnel(scope=cilacap["scope"], period=JUNE_2022)
        recruitment_summary(scope=cilacap["scope"], period=JUNE_2022)
        REPORTS["recruitment"].table(scope=cilacap["scope"], period=JUNE_2022)
    assert funnel.intake.candidates == sum(1 for i in range(count) if i % 20 >= 2)  # November 2020 is earlier


# --- the page, the file, the dashboard, the workbook ---------------------------------------------


@pytest.fixture
def staff_client(client, cilacap, in_english):
    client.force_login(UserFactory(role=User.Role.STAFF, branch=cilacap["branch"]))
    return client


def test_the_page_shows_the_figures_and_the_three_tables(staff_client, cilacap, specs):
    response = staff_client.get(reverse("reports:report", args=["recruitment"]), {"through": "2022-06"})
    assert response.status_code == 200
    content = response.content.decode()
    expected = expected_summary(specs, JUNE_2022, JUNE_2022.end)

    assert f'id="recruitment-in-progress">{expected["in_progress"]}<' in content
    assert f'id="recruitment-activated">{expected["activated"]}<' in content
    for heading in ("By month registered", "By recruiter", "By training session"):
        assert f">{heading}</h2>" in content
    tables = response.context["table"].extra["tables"]
    assert [len(tables[key].rows) for key in ("months", "recruiters", "sessions")] == [18, 4, 5]
    assert "The branch (no recruiting agent)" in content and "Aula 032022" in content
    assert reverse("reports:report_csv", args=["recruitment"]) + "?through=2022-06" in content
    index = staff_client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:report", args=["recruitment"]) in index


def test_the_file_has_every_breakdown_with_a_column_saying_which(staff_client, cilacap, specs):
    response = staff_client.get(reverse("reports:report_csv", args=["recruitment"]), {"through": "2022-06"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    expected = expected_funnel(specs, JUNE_2022, JUNE_2022.end)

    assert [row["Breakdown"] for row in rows] == ["By month registered"] * 18 + ["By recruiter"] * 4 + [
        "By training session"
    ] * 5
    march = next(row for row in rows if row["Cohort"] == "March 2022")
    assert int(march["Passed"]) == expected["months"][datetime.date(2022, 3, 1)]["passed"]
    session = next(row for row in rows if row["Cohort"].startswith("5 March 2022"))
    assert int(session["Candidates (invited, for a session)"]) == expected["sessions"][SESSION_DAYS[3]]["candidates"]
    assert int(session["Acquisitions to date"]) == expected["sessions"][SESSION_DAYS[3]]["acquisitions"]


def test_the_dashboard_card_links_to_the_report(staff_client, cilacap, specs):
    response = staff_client.get("/", {"through": "2022-06"})
    content = response.content.decode()
    expected = expected_summary(specs, JUNE_2022, JUNE_2022.end)

    assert summary_of(response.context["dashboard"].recruitment) == expected
    assert f'id="recruitment-trained">{expected["trained"]}<' in content
    assert f'id="recruitment-activated">{expected["activated"]}<' in content
    assert f"{expected['active_6']} of {expected['known_6']} agents" in content
    assert reverse("reports:report", args=["recruitment"]) + "?through=2022-06" in content


def test_the_workbook_has_a_recruitment_sheet_with_the_three_tables(cilacap, specs):
    buffer = io.BytesIO()
    evaluation_workbook(scope=cilacap["scope"], period=JUNE_2022, language="en", today=TODAY).save(buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    rows = list(book["Recruitment"].iter_rows(values_only=True))
    header, rows = rows[0], rows[1:]
    column = {label: index for index, label in enumerate(header)}
    expected = expected_funnel(specs, JUNE_2022, JUNE_2022.end)

    assert [row[0] for row in rows] == ["By month registered"] * 18 + ["By recruiter"] * 4 + ["By training session"] * 5
    months = {row[1]: row for row in rows[:18]}
    for month, counts in expected["months"].items():
        read = months[month.strftime("%B %Y")]
        assert read[column["Candidates (invited, for a session)"]] == counts["candidates"]
        assert read[column["Trained (attended)"]] == counts["trained"]
        assert read[column["Activated as agents"]] == counts["activated"]
        assert read[column["Still active after 6 months"]] == counts["active_6"]
        assert read[column["Not yet 6 months as agents"]] == counts["activated"] - counts["known_6"]
    recruiters = {row[1]: row for row in rows[18:22]}
    assert recruiters["Budi (BUDI)"][column["Acquisitions to date"]] == expected["recruiters"]["BUDI"]["acquisitions"]
    sessions = rows[22:]
    for read, (_day, counts) in zip(sessions, expected["sessions"].items(), strict=True):
        assert read[column["Passed"]] == counts["passed"]
        assert read[column["Acquisitions in their first 3 months"]] == counts["acquisitions_first"]
        share = read[column["Still active after 3 months (% of those known)"]]
        if counts["known_3"]:
            assert share == pytest.approx(counts["active_3"] / counts["known_3"], abs=0.0005)
        else:
            assert share is None

    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row and row[0]}
    assert (
        summary["Candidates activated as agents January–June 2022"]
        == expected_summary(specs, JUNE_2022, JUNE_2022.end)["activated"]
    )


def test_the_sheet_is_named_in_the_workbooks_language(cilacap):
    buffer = io.BytesIO()
    evaluation_workbook(scope=cilacap["scope"], period=JUNE_2022, language="id", today=TODAY).save(buffer)
    with translation.override("id"):
        assert _("Recruitment") in load_workbook(io.BytesIO(buffer.getvalue())).sheetnames
