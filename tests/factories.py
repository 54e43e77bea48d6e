"""factory_boy factories for the domain models.

Every factory builds a valid row by default, so a test states only what matters to it. NIKs are
built from the birth date and gender with ``build_nik`` and a per-factory serial, so they are
well-formed, agree with the person's data and are unique within their table.
"""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory, Password

from agents.models import Agent, Branch, CooperationAgreement, PerisaiOffice, ProgrammeTerms, Region, User
from enrollment.models import (
    Acquisition,
    AcquisitionTarget,
    Contribution,
    ContributionRate,
    Occupation,
    Participant,
)
from perisai.nik import Gender, build_nik
from recruitment.models import Candidate, Seat, TrainingSession

CILACAP_DISTRICT = "330101"
DEFAULT_PASSWORD = "perisai-test-password"


def _nik_serial(n):
    """Serial 0001..9999 from a factory sequence (0000 is never a valid serial)."""
    return n % 9999 + 1


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"KW{n:03d}")
    name = factory.Sequence(lambda n: f"Kantor Wilayah {n}")


class BranchFactory(DjangoModelFactory):
    class Meta:
        model = Branch

    code = factory.Sequence(lambda n: f"KC{n:03d}")
    name = factory.Sequence(lambda n: f"Kantor Cabang {n}")


class UserFactory(DjangoModelFactory):
    """A branch staff member by default; pass ``role=User.Role.ADMIN, branch=None`` for a national admin, and
    ``role=User.Role.REGIONAL, branch=None, region=...`` for a regional user."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = Password(DEFAULT_PASSWORD)
    role = User.Role.STAFF
    branch = factory.SubFactory(BranchFactory)


class PerisaiOfficeFactory(DjangoModelFactory):
    class Meta:
        model = PerisaiOffice

    branch = factory.SubFactory(BranchFactory)
    code = factory.Sequence(lambda n: f"KP{n:04d}")
    name = factory.Sequence(lambda n: f"Kantor Perisai Wilayah {n}")
    area = "Cilacap Selatan"


class CooperationAgreementFactory(DjangoModelFactory):
    """A one-year PKS for 2021."""

    class Meta:
        model = CooperationAgreement

    office = factory.SubFactory(PerisaiOfficeFactory)
    number = factory.Sequence(lambda n: f"PKS/{n:04d}/KC-CLP/2021")
    signed_on = datetime.date(2020, 12, 15)
    starts_on = datetime.date(2021, 1, 1)
    ends_on = datetime.date(2021, 12, 31)


class _PersonFactory(DjangoModelFactory):
    """Fields shared by agents and participants: a NIK that agrees with birth date and gender."""

    class Meta:
        abstract = True

    class Params:
        region_code = CILACAP_DISTRICT

    full_name = factory.Faker("name")
    gender = factory.Iterator([Gender.MALE, Gender.FEMALE])
    birth_date = factory.Faker(
        "date_between", start_date=datetime.date(1960, 1, 1), end_date=datetime.date(2004, 12, 31)
    )
    nik = factory.LazyAttributeSequence(lambda o, n: build_nik(o.region_code, o.birth_date, o.gender, _nik_serial(n)))
    kecamatan = "Cilacap Selatan"
    desa = "Tegalkamulyan"
    district = "330121"
    village = "3301211004"


class AgentFactory(_PersonFactory):
    """An active agent of an office in the agent's own branch, without a login account."""

    class Meta:
        model = Agent

    branch = factory.SubFactory(BranchFactory)
    office = factory.SubFactory(PerisaiOfficeFactory, branch=factory.SelfAttribute("..branch"))
    code = factory.Sequence(lambda n: f"AG{n:05d}")
    phone = factory.Sequence(lambda n: f"0812{n:08d}")
    joined_on = datetime.date(2020, 6, 1)
    trained_on = datetime.date(2020, 6, 15)
    status = Agent.Status.ACTIVE
    left_on = None
    user = None


class ParticipantFactory(_PersonFactory):
    class Meta:
        model = Participant

    branch = factory.SubFactory(BranchFactory)
    phone = factory.Sequence(lambda n: f"0813{n:08d}")
    address = "Jl. Sudirman"
    occupation = Occupation.FARMER
    kpj_number = None


class ProgrammeTermsFactory(DjangoModelFactory):
    """The programme's terms from 2017 on: an agent at risk after 2 silent months, inactive after 3, back 6
    months after an inactivity deactivation; an office warned after 2 months under its minimum, its PKS at
    risk after 3. No PKS limit, office minimum or working age unless given."""

    class Meta:
        model = ProgrammeTerms

    name = "Ketentuan Perisai"
    effective_from = datetime.date(2017, 1, 1)
    agent_at_risk_months = 2
    agent_inactive_months = 3
    reactivation_wait_months = 6
    office_warning_months = 2
    office_pks_loss_months = 3


class ContributionRateFactory(DjangoModelFactory):
    """The BPU rate published for 2021 onwards: JKK 1%, JKM Rp 6.800, JHT 2%, income Rp 1 – 20,7 million."""

    class Meta:
        model = ContributionRate
        django_get_or_create = ("effective_from",)

    name = "BPU 2021"
    effective_from = datetime.date(2021, 1, 1)
    effective_to = None
    jkk_rate = Decimal("0.0100")
    jkm_amount = Decimal("6800")
    jht_rate = Decimal("0.0200")
    min_declared_income = Decimal("1000000")
    max_declared_income = Decimal("20700000")


class AcquisitionFactory(DjangoModelFactory):
    """An active acquisition at the minimum package, credited to the agent's branch and office."""

    class Meta:
        model = Acquisition

    agent = factory.SubFactory(AgentFactory)
    caretaker = factory.SelfAttribute("agent")
    participant = factory.SubFactory(ParticipantFactory, branch=factory.SelfAttribute("..agent.branch"))
    branch = factory.SelfAttribute("agent.branch")
    office = factory.SelfAttribute("agent.office")
    acquired_on = datetime.date(2021, 3, 15)
    status = Acquisition.Status.ACTIVE
    ended_on = None
    rate = factory.SubFactory(ContributionRateFactory)
    declared_income = Decimal("1000000")
    with_jht = False
    monthly_contribution = factory.LazyAttribute(
        lambda o: o.rate.breakdown(o.declared_income, with_jht=o.with_jht).total
    )


class ContributionFactory(DjangoModelFactory):
    """The acquisition's monthly contribution for April 2021."""

    class Meta:
        model = Contribution

    acquisition = factory.SubFactory(AcquisitionFactory)
    period = datetime.date(2021, 4, 1)
    amount = factory.SelfAttribute("acquisition.monthly_contribution")
    paid_on = datetime.date(2021, 4, 10)
    channel = Contribution.Channel.AGENT
    collected_by = factory.SelfAttribute("acquisition.agent")


class AcquisitionTargetFactory(DjangoModelFactory):
    """A branch's own target for 2022; pass an ``office`` or an ``agent`` (with its branch) for theirs."""

    class Meta:
        model = AcquisitionTarget

    year = 2022
    branch = factory.SubFactory(BranchFactory)
    office = None
    agent = None
    target = 6000


class TrainingSessionFactory(DjangoModelFactory):
    """A pembekalan of 30 seats in June 2022, pass mark 70."""

    class Meta:
        model = TrainingSession

    branch = factory.SubFactory(BranchFactory)
    held_on = datetime.date(2022, 6, 15)
    place = "Aula Kantor Cabang Cilacap"
    trainer = "Bidang Kepesertaan"
    capacity = 30
    materials = "JKK, JKM, JHT\nPendaftaran peserta BPU"
    pass_mark = 70


class CandidateFactory(_PersonFactory):
    """A registered candidate of a branch; NIKs from another district than agents' and participants',
    so a candidate's NIK never matches an agent or participant made by the other factories."""

    class Meta:
        model = Candidate

    class Params:
        region_code = "330102"

    branch = factory.SubFactory(BranchFactory)
    phone = factory.Sequence(lambda n: f"0814{n:08d}")
    registered_on = datetime.date(2022, 5, 2)
    declared_not_bpjs_employee_on = factory.SelfAttribute("registered_on")
    stage = Candidate.Stage.REGISTERED
    stage_changed_on = factory.SelfAttribute("registered_on")


class SeatFactory(DjangoModelFactory):
    """A candidate invited to a session of their branch; attendance not yet taken."""

    class Meta:
        model = Seat

    session = factory.SubFactory(TrainingSessionFactory)
    candidate = factory.SubFactory(
        CandidateFactory, branch=factory.SelfAttribute("..session.branch"), stage=Candidate.Stage.INVITED
    )
    invited_on = datetime.date(2022, 6, 1)
