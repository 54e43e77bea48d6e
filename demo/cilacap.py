"""Demo data: the Cilacap branch, from its first agents in 2020 to the demo's today.

The story (DESIGN.md): the Cilacap branch works with four Kantor Perisai wilayah. Each signed its
first PKS for July 2020 - June 2021 and extended it every year; all four extended it again in mid-2022.
The agent network grew from mid-2020 to mid-2022 in training batches (pembekalan) and about ten
agents left along the way. Agents acquired exactly 5,628 workers in 2021 and 2,336 from January to
June 2022: the figures the reports must show. Contributions run month by month up to June 2022; an
acquisition whose worker had not paid for April-June 2022 has lapsed, and some lapsed 2021 workers were
acquired again in 2022. That history is drawn here; ``demo.present`` carries the story on, month by
month, to the demo's today (``DemoNow``: by default the real today, a fixed day in tests), so 2022 ends
above 2021 and every later year has its acquisitions, agents, payments and targets.

Choices:
- The history comes from one ``random.Random(SEED)``: every run writes the same data.
- Monthly totals follow a season (slow in January and around Lebaran, busier mid-year and in Q4) and
  are rounded by the largest-remainder method, so the yearly totals are exact.
- Agents differ a lot: each has a Pareto-distributed activity weight, and only agents active on a
  day acquire on that day. Workers mostly live in their agent's kecamatan or office area.
- Every acquisition pays its first month to its agent on the day of enrollment, so it can only lapse
  later: three months after its last paid month. Later months go mostly through partner channels
  (payment points, apps, banks; ``CHANNEL_WEIGHTS``), each worker mostly the same way and at the same
  bank, shop or app; those payments carry the channel's name and transaction reference, agents'
  collections a numbered receipt (kwitansi).
- Channel names and references come from a second ``random.Random`` (``CHANNEL_SEED``), so they
  never shift a draw of the first: changing them leaves every acquisition, paid month, date paid and
  figure as it was. What happens after June 2022 comes from a third (``demo.present.PRESENT_SEED``):
  the first one's draws, and so the history and its figures, are the same whatever the day.
- The PKS renewals after mid-2022 have fixed dates up to late 2026, each PKS a year at most as the
  April 2022 terms require: Cilacap Kota renews every July, Majenang and Kroya moved to calendar years,
  and Sidareja's was not renewed after June 2024. Later renewals follow the same rhythm
  (``RENEWALS``); a PKS is there once signed, by the demo's today, so on a December day Majenang's and
  Kroya's end with the year, not yet renewed.
- Two incentive schemes: to March 2022 7.5% of contributions paid and Rp 500.000 for 50 new
  participants in a month; from April 2022 the "New Perisai" terms (15% in membership months 1-24, 5% in
  25-60, Rp 15.000 / Rp 10.000 per new participant with three / two programmes from 25 first enrolments
  in a month, 10% of everything the agents earn to their Kantor Perisai). So a statement for March
  2022 and one for May 2022 differ as the terms say. Two sets of programme terms, the same for agents
  (at risk after 2 silent months, inactive after 3, six months' wait after an inactivity deactivation)
  and offices (warned after 2 months under their minimum, PKS at risk after 3), with the PKS at most
  36 months and 3 active agents an office before April 2022, 12 months and 5 agents since. The agents
  who left resigned.
- Rows are written in one transaction (the large tables through ``demo.present.insert_rows``); every
  model constraint holds by construction and every NIK is built with ``build_nik`` and checked with
  ``validate_nik``.
"""

import datetime
import functools
import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone

from agents.models import Agent, Branch, BranchArea, CooperationAgreement, PerisaiOffice, ProgrammeTerms, User
from enrollment.models import (
    Acquisition,
    AcquisitionTarget,
    Contribution,
    ContributionRate,
    Occupation,
    Participant,
)
from incentives.models import AcquisitionFee, FeeTier, IncentiveScheme
from perisai.apportion import largest_remainder
from perisai.areas import find_village
from perisai.months import add_months, month_end, month_start, shift_month, years_before
from perisai.nik import FEMALE, MALE, build_nik, validate_nik

SEED = 20220630
CHANNEL_SEED = 20220710
BATCH_SIZE = 2000

DEMO_PASSWORD = "perisai-demo-2022"


@dataclass(frozen=True)
class DemoNow:
    """What "now" is for the demo: the day it is seeded (``seed_cilacap_demo(today=...)``, by default
    today in Jakarta), and the months that follow from it. The seed, the recruitment story
    (``demo.recruitment``) and the sample payments file (``demo.payments_sample``) all read it here.

    - The records end on ``today``: acquisitions and what agents collected up to that day.
    - The channels (payment points, apps, banks) report a month once its payments are in, by the 10th
      of the next: the records hold their payments up to ``last_reported_month`` (two months back);
      ``unreported_month``'s (last month's) are the sample payments file, waiting to be imported.
    - A lapse (three months unpaid) is recorded once the months that show it are reported.
    - ``recent_session`` is the last pembekalan held: the latest Wednesday at least three days back, so
      its scores are partly entered.
    """

    today: datetime.date

    def __post_init__(self):
        if self.today < EARLIEST_TODAY:
            raise DemoDataError(f"The demo carries its story on from July 2022; {self.today} is before it.")

    @property
    def records_end(self):
        return self.today

    @property
    def current_month(self):
        return month_start(self.today)

    @property
    def unreported_month(self):
        """The month whose channel payments are not in the records yet: the sample payments file's."""
        return shift_month(self.today, -1)

    @property
    def last_reported_month(self):
        """The latest month the channels have reported: every payment for it is in the records."""
        return shift_month(self.today, -2)

    @property
    def recent_session(self):
        """The day of the last pembekalan held: the latest Wednesday at least three days before today."""
        latest = self.today - datetime.timedelta(days=3)
        return latest - datetime.timedelta(days=(latest.weekday() - WEDNESDAY) % 7)


WEDNESDAY = 2
EARLIEST_TODAY = datetime.date(2022, 9, 1)  # the story's last reported month is then July 2022


class DemoAccount(NamedTuple):
    username: str
    role: str
    full_name: str
    is_staff: bool = False
    is_superuser: bool = False


# Accounts without a name take the name of the agent they are linked to.
DEMO_ACCOUNTS = (
    DemoAccount("admin", User.Role.ADMIN, "Administrator", is_staff=True, is_superuser=True),
    DemoAccount("staf", User.Role.STAFF, "Rina Wulandari", is_staff=True),
    DemoAccount("kepala", User.Role.HEAD, "Hendra Gunawan", is_staff=True),
    DemoAccount("agen1", User.Role.AGENT, ""),
    DemoAccount("agen2", User.Role.AGENT, ""),
)

BRANCH_CODE = "CLP"
BRANCH_NAME = "Cilacap"

RATE = {
    "name": "Iuran BPU 2021–2022",
    "effective_from": datetime.date(2021, 1, 1),
    "effective_to": None,
    "jkk_rate": Decimal("0.0100"),
    "jkm_amount": Decimal(6800),
    "jht_rate": Decimal("0.0200"),
    "min_declared_income": Decimal(1_000_000),
    "max_declared_income": Decimal(20_700_000),
}

# The programme's published terms (README, "The 2022 terms"). To March 2022: 7.5% of the contributions
# paid and Rp 500.000 for 50 or more new participants in a month. From April 2022 (Perdir
# 13/PERDIR.02/042022, "New Perisai"): 15% in the participant's membership months 1-24, 5% in 25-60;
# Rp 15.000 per new participant with JKK, JKM and JHT, Rp 10.000 with JKK and JKM, from 25 workers enrolled
# for the first time in the month; the Kantor Perisai 10% of everything its agents earn, on top.
INCENTIVE_SCHEMES = (
    {
        "name": "Insentif Perisai 2021–2022",
        "effective_from": datetime.date(2021, 1, 1),
        "effective_to": datetime.date(2022, 3, 31),
        "acquisition_minimum": 50,
        "bonus_amount": Decimal(500_000),
        "tiers": ((1, None, Decimal("0.0750")),),
        "fees": {},
    },
    {
        "name": "New Perisai 2022 (Perdir 13/PERDIR.02/042022)",
        "effective_from": datetime.date(2022, 4, 1),
        "effective_to": None,
        "acquisition_minimum": 25,
        "first_enrolments_only": True,
        "office_share_rate": Decimal("0.1000"),
        "office_share_base": IncentiveScheme.OfficeShareBase.INCENTIVES,
        "tiers": ((1, 24, Decimal("0.1500")), (25, 60, Decimal("0.0500"))),
        "fees": {AcquisitionFee.Package.THREE: Decimal(15_000), AcquisitionFee.Package.TWO: Decimal(10_000)},
    },
)
# At risk after 2 months without a new participant, inactive after 3, back no sooner than 6 months after
# an inactivity deactivation; an office under its minimum for 2 months is warned, for 3 loses its PKS.
# A PKS ran up to three years and an office needed 3 active agents; from April 2022 one year and 5.
# Workers are enrolled from 15 to 65 years old (the BPU programme's working age).
PROGRAMME_TERMS = (
    {
        "name": "Ketentuan Perisai",
        "effective_from": datetime.date(2017, 1, 1),
        "effective_to": datetime.date(2022, 3, 31),
        "agent_at_risk_months": 2,
        "agent_inactive_months": 3,
        "reactivation_wait_months": 6,
        "office_warning_months": 2,
        "office_pks_loss_months": 3,
        "agreement_max_months": 36,
        "office_min_active_agents": 3,
        "participant_min_age": 15,
        "participant_max_age": 65,
    },
    {
        "name": "Ketentuan New Perisai 2022",
        "effective_from": datetime.date(2022, 4, 1),
        "effective_to": None,
        "agent_at_risk_months": 2,
        "agent_inactive_months": 3,
        "reactivation_wait_months": 6,
        "office_warning_months": 2,
        "office_pks_loss_months": 3,
        "agreement_max_months": 12,
        "office_min_active_agents": 5,
        "participant_min_age": 15,
        "participant_max_age": 65,
    },
)

REGENCY_CODE = "3301"  # Kabupaten Cilacap, the regency the branch serves
# Cilacap's 24 kecamatan (Kemendagri codes) with some of their desa/kelurahan, as the official data
# (perisai.areas) names them.
KECAMATAN = {
    "330101": ("Kedungreja", ("Tambakreja", "Bumireja", "Ciklapa", "Kedungreja", "Rejamulya", "Sidanegara")),
    "330102": ("Kesugihan", ("Kesugihan", "Kesugihan Kidul", "Karangkandri", "Slarang", "Menganti", "Ciwuni")),
    "330103": ("Adipala", ("Adipala", "Adireja Kulon", "Adireja Wetan", "Bunton", "Doplang", "Welahan Wetan")),
    "330104": ("Binangun", ("Binangun", "Alangamba", "Bangkal", "Jepara Wetan", "Sidayu", "Widarapayung Kulon")),
    "330105": ("Nusawungu", ("Nusawungu", "Banjareja", "Jetis", "Karangputat", "Klumprit", "Danasri")),
    "330106": ("Kroya", ("Kroya", "Bajing", "Buntu", "Karangmangu", "Mergawati", "Pekuncen", "Sikampuh")),
    "330107": ("Maos", ("Maos Kidul", "Maos Lor", "Karangrena", "Glempang", "Klapagada", "Mernek")),
    "330108": ("Jeruklegi", ("Jeruklegi Kulon", "Jeruklegi Wetan", "Brebeg", "Citepus", "Tritih Lor", "Sumingkir")),
    "330109": ("Kawunganten", ("Kawunganten", "Kawunganten Lor", "Bringkeng", "Grugu", "Sidaurip", "Ujungmanik")),
    "330110": ("Gandrungmangu", ("Gandrungmangu", "Gandrungmanis", "Cinangsi", "Bulusari", "Layansari", "Cisumur")),
    "330111": ("Sidareja", ("Sidareja", "Sidamulya", "Tinggarjaya", "Penyarang", "Karanggedang", "Tegalsari")),
    "330112": ("Karangpucung", ("Karangpucung", "Babakan", "Bengbulang", "Ciporos", "Pamulihan", "Tayem")),
    "330113": ("Cimanggu", ("Cimanggu", "Cilempuyang", "Karangreja", "Negarajati", "Panimbang", "Cisalak")),
    "330114": ("Majenang", ("Sindangsari", "Cilopadang", "Jenang", "Mulyasari", "Padangsari", "Pahonjean", "Salebu")),
    "330115": ("Wanareja", ("Wanareja", "Adimulya", "Bantar", "Madura", "Malabar", "Cilongkrang")),
    "330116": ("Dayeuhluhur", ("Dayeuhluhur", "Bingkeng", "Cijeruk", "Datar", "Hanum", "Matenggeng")),
    "330117": ("Sampang", ("Sampang", "Brani", "Karangjati", "Ketanggung", "Nusajati", "Paberasan")),
    "330118": ("Cipari", ("Cipari", "Caruy", "Kutasari", "Mekarsari", "Pegadingan", "Segaralangu")),
    "330119": ("Patimuan", ("Patimuan", "Cimrutu", "Cinyawang", "Purwadadi", "Rawaapu", "Sidamukti")),
    "330120": ("Bantarsari", ("Bantarsari", "Bulaksari", "Cikedondong", "Kamulyan", "Kedungwadas", "Rawajaya")),
    "330121": ("Cilacap Selatan", ("Cilacap", "Sidakaya", "Tambakreja", "Tegalkamulyan", "Tegalreja")),
    "330122": ("Cilacap Tengah", ("Donan", "Gunungsimping", "Kutawaru", "Sidanegara", "Lomanis")),
    "330123": ("Cilacap Utara", ("Gumilir", "Karangtalun", "Kebonmanis", "Mertasinga", "Tritih Kulon")),
    "330124": ("Kampung Laut", ("Ujungalang", "Ujunggagak", "Panikel", "Klaces")),
}
KECAMATAN_CODE_BY_NAME = {name: code for code, (name, _) in KECAMATAN.items()}
COASTAL_KECAMATAN = frozenset({"330103", "330104", "330105", "330121", "330122", "330123", "330124"})


class OfficeSpec(NamedTuple):
    code: str
    name: str
    kecamatan: tuple
    address: str
    contact_person: str
    phone: str
    later_pks_rounds: tuple  # the rounds of renewal after the mid-2022 extension: see EARLY_PKS_ROUNDS


# Rounds of PKS, each a run of (starts_on, ends_on) agreements. Until mid-2022 a round was one PKS of a
# year; from April 2022 a PKS runs at most one year, so the 2022 extension and later rounds are runs of
# PKS of a year at most, signed the same number of days before each starts (one draw a round, so the
# random draws that follow are the ones the demo always made).
EARLY_PKS_ROUNDS = (
    ((datetime.date(2020, 7, 1), datetime.date(2021, 6, 30)),),
    ((datetime.date(2021, 7, 1), datetime.date(2022, 6, 30)),),
    (
        (datetime.date(2022, 7, 1), datetime.date(2023, 6, 30)),
        (datetime.date(2023, 7, 1), datetime.date(2024, 6, 30)),
    ),
)
# Majenang and Kroya moved to calendar years: a year, half a year, then the year 2026.
CALENDAR_YEAR_ROUND = (
    (datetime.date(2024, 7, 1), datetime.date(2025, 6, 30)),
    (datetime.date(2025, 7, 1), datetime.date(2025, 12, 31)),
    (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
)

OFFICES = (
    OfficeSpec(
        "CLP-01",
        "Kantor Perisai Cilacap Kota",
        ("330121", "330122", "330123", "330124", "330108", "330102"),
        "Jl. MT Haryono No. 42, Tegalkamulyan, Cilacap Selatan, Cilacap 53212",
        "Sugeng Riyadi",
        "0812-2671-4410",
        (
            (
                (datetime.date(2024, 7, 1), datetime.date(2025, 6, 30)),
                (datetime.date(2025, 7, 1), datetime.date(2026, 6, 30)),
            ),
            ((datetime.date(2026, 7, 1), datetime.date(2027, 6, 30)),),
        ),
    ),
    OfficeSpec(
        "CLP-02",
        "Kantor Perisai Majenang",
        ("330114", "330115", "330116", "330113", "330112"),
        "Jl. Raya Pahonjean No. 17, Majenang, Cilacap 53257",
        "Asep Kurniawan",
        "0813-2755-0192",
        (CALENDAR_YEAR_ROUND,),
    ),
    OfficeSpec(
        "CLP-03",
        "Kantor Perisai Kroya",
        ("330106", "330103", "330104", "330105", "330107", "330117"),
        "Jl. Jenderal Sudirman No. 88, Kroya, Cilacap 53282",
        "Sri Wahyuni",
        "0857-4101-3326",
        (CALENDAR_YEAR_ROUND,),
    ),
    OfficeSpec(
        "CLP-04",
        "Kantor Perisai Sidareja",
        ("330111", "330101", "330118", "330110", "330109", "330120", "330119"),
        "Jl. Raya Sidareja No. 25, Sidareja, Cilacap 53261",
        "Dedi Supriyadi",
        "0821-3390-5718",
        (),
    ),
)
OFFICE_KECAMATAN = {spec.code: spec.kecamatan for spec in OFFICES}
# After the fixed rounds, the offices that renew every year: how many months each PKS runs. Sidareja does
# not: its PKS ended in June 2024 and its agents work through Majenang since (``demo.present``).
RENEWALS = {"CLP-01": 12, "CLP-02": 12, "CLP-03": 12}

# Pembekalan dates and how many agents each batch trained; offices recruit in this rotation.
TRAINING_BATCHES = (
    (datetime.date(2020, 7, 8), 14),
    (datetime.date(2020, 9, 9), 10),
    (datetime.date(2020, 11, 11), 10),
    (datetime.date(2021, 2, 17), 8),
    (datetime.date(2021, 6, 2), 8),
    (datetime.date(2021, 8, 18), 7),
    (datetime.date(2021, 10, 20), 7),
    (datetime.date(2022, 1, 19), 6),
    (datetime.date(2022, 3, 16), 6),
    (datetime.date(2022, 6, 8), 4),
)
RECRUITMENT_ROTATION = (
    "CLP-01",
    "CLP-03",
    "CLP-02",
    "CLP-01",
    "CLP-04",
    "CLP-03",
    "CLP-02",
    "CLP-01",
    "CLP-04",
    "CLP-03",
)
AGENTS_WHO_LEFT = 10
LEAVING_WINDOW = (datetime.date(2021, 3, 1), datetime.date(2022, 6, 20))
MAX_AGENT_ACTIVITY = 12

# (year, acquisitions, relative weight of each month): slow in January and in the Lebaran month
# (May in both years), busier mid-year and in the fourth quarter. 2022 covers January to June.
ACQUISITION_PLAN = (
    (2021, 5628, (0.60, 0.75, 0.90, 0.85, 0.60, 0.90, 1.05, 1.10, 1.05, 1.15, 1.20, 1.10)),
    (2022, 2336, (0.70, 0.85, 1.00, 0.90, 0.65, 1.00)),
)
LEBARAN_BREAKS = (
    (datetime.date(2021, 5, 12), datetime.date(2021, 5, 16)),
    (datetime.date(2022, 4, 29), datetime.date(2022, 5, 9)),
)
REACQUISITIONS = 150

# The history drawn from ``SEED`` runs to June 2022; ``demo.present`` carries it on to the demo's today.
LAST_PERIOD = datetime.date(2022, 6, 1)
LAPSE_CUTOFF = datetime.date(2022, 4, 1)  # no payment for April-June 2022: lapsed
MONTHS_UNPAID_BEFORE_LAPSE = 3
STOPPING_SHARE = 0.45
MEAN_EXTRA_MONTHS_BEFORE_STOPPING = 3
SKIPPING_SHARE = 0.2
SKIP_CHANCE = 0.15
DAYS_LATE_AFTER_MONTH_END = 10  # a month is paid by the 10th of the next at the latest

MINIMUM_INCOME_SHARE = 0.8
HIGHER_INCOMES = (1_500_000, 2_000_000, 2_500_000, 3_000_000)
JHT_SHARE = 0.12
KPJ_SHARE = 0.5
PHONE_SHARE = 0.9


class OccupationMix(NamedTuple):
    occupation: str
    inland_weight: int
    coastal_weight: int
    female_share: float


OCCUPATIONS = (
    OccupationMix(Occupation.FARMER, 30, 14, 0.35),
    OccupationMix(Occupation.FISHER, 2, 26, 0.10),
    OccupationMix(Occupation.TRADER, 18, 16, 0.60),
    OccupationMix(Occupation.LABOURER, 16, 14, 0.25),
    OccupationMix(Occupation.HOUSEHOLD_ASSISTANT, 9, 7, 0.90),
    OccupationMix(Occupation.DRIVER, 8, 7, 0.05),
    OccupationMix(Occupation.UMKM_OWNER, 9, 8, 0.55),
    OccupationMix(Occupation.CRAFTSPERSON, 5, 5, 0.50),
    OccupationMix(Occupation.OTHER, 3, 3, 0.45),
)

# How months after the first are paid. The order matters: a draw picks by cumulative weight in this
# order, so reordering (not reweighting) would change which channel each draw gives.
CHANNEL_WEIGHTS = {
    Contribution.Channel.AGENT: 15,
    Contribution.Channel.PAYMENT_POINT: 35,
    Contribution.Channel.ONLINE: 30,
    Contribution.Channel.BANK: 20,
}
USUAL_CHANNEL_SHARE = 0.8
# The names the channels go by in Cilacap, with their weights, and how each writes its transaction
# reference: a prefix, the date paid in a format, then random digits.
CHANNEL_NAMES = {
    Contribution.Channel.PAYMENT_POINT: (("Indomaret", 45), ("Alfamart", 35), ("Kantor Pos", 20)),
    Contribution.Channel.ONLINE: (("JMO", 50), ("GoPay", 25), ("DANA", 25)),
    Contribution.Channel.BANK: (("BRI", 50), ("BNI", 20), ("Mandiri", 15), ("Bank Jateng", 15)),
}
AGENT_CHANNEL_NAME = "Agen Perisai"  # how the payments file names what an agent paid in
REFERENCE_FORMATS = {
    "Indomaret": ("IDM", "%y%m%d", 6),
    "Alfamart": ("ALF", "%y%m%d", 6),
    "Kantor Pos": ("POS", "%y%m%d", 6),
    "JMO": ("JMO", "%Y%m%d", 6),
    "GoPay": ("GP", "%y%m%d", 8),
    "DANA": ("DN", "%y%m%d", 8),
    "BRI": ("", "%y%m%d", 9),
    "BNI": ("BNI", "%y%m%d", 7),
    "Mandiri": ("MDR", "%y%m%d", 7),
    "Bank Jateng": ("JTG", "%y%m%d", 6),
    AGENT_CHANNEL_NAME: ("PRS", "%y%m%d", 6),
}

BRANCH_TARGET_2022 = 6000
AGENT_TARGET_RANGE = (60, 120)

MALE_NAMES = (
    "Agus",
    "Bambang",
    "Budi",
    "Slamet",
    "Sugeng",
    "Sutrisno",
    "Joko",
    "Eko",
    "Heru",
    "Teguh",
    "Wahyu",
    "Yanto",
    "Darsono",
    "Warsito",
    "Sukirman",
    "Suparman",
    "Tarno",
    "Rasiman",
    "Kusnadi",
    "Purwanto",
    "Mulyono",
    "Wartono",
    "Asep",
    "Dedi",
    "Ujang",
    "Cecep",
    "Dadang",
    "Yayan",
    "Iwan",
    "Nanang",
    "Ahmad",
    "Muhamad",
    "Rahmat",
    "Ridwan",
    "Saefudin",
    "Imam",
    "Tugiman",
    "Casmad",
    "Carma",
    "Tarsono",
    "Rusdi",
)
FEMALE_NAMES = (
    "Sri",
    "Siti",
    "Dewi",
    "Sumiyati",
    "Wartini",
    "Suwarni",
    "Lestari",
    "Rini",
    "Yuni",
    "Nining",
    "Euis",
    "Neneng",
    "Imas",
    "Tuti",
    "Ratna",
    "Lilis",
    "Wati",
    "Umi",
    "Kartini",
    "Murni",
    "Sulastri",
    "Ngatinah",
    "Rusmini",
    "Darsih",
    "Tarsih",
    "Kasini",
    "Karsinah",
    "Warsini",
    "Tumini",
    "Yati",
    "Eni",
    "Endah",
    "Mulyani",
    "Titin",
    "Iis",
)
MALE_SURNAMES = (
    "Santoso",
    "Wibowo",
    "Prasetyo",
    "Susanto",
    "Setiawan",
    "Nugroho",
    "Purnomo",
    "Hidayat",
    "Saputra",
    "Kurniawan",
    "Riyadi",
    "Sudarmo",
    "Suryadi",
    "Pratama",
    "Gunawan",
    "Supriyadi",
    "Hermawan",
    "Maulana",
    "Sudrajat",
    "Suherman",
    "Wijaya",
    "Haryanto",
    "Suwarno",
    "Sumarno",
    "Permana",
)
FEMALE_SURNAMES = (
    "Rahayu",
    "Wulandari",
    "Handayani",
    "Astuti",
    "Suryani",
    "Kusumawati",
    "Rahmawati",
    "Ningsih",
    "Purwanti",
    "Hidayati",
    "Nurhayati",
    "Maryani",
    "Susanti",
    "Fitriani",
    "Yuliani",
    "Sari",
    "Wahyuni",
    "Andriani",
    "Kurniasih",
    "Komalasari",
    "Mulyasari",
    "Setyowati",
)
SINGLE_NAME_SHARE = 0.25
DUSUN = (
    "Krajan",
    "Karanganyar",
    "Sidamulya",
    "Kaliwungu",
    "Pucung",
    "Babakan",
    "Cikadu",
    "Sindangsari",
    "Karangsari",
    "Tegalsari",
    "Kedungringin",
    "Bojong",
    "Kalipucang",
    "Wanasari",
)
PHONE_PREFIXES = ("0812", "0813", "0821", "0822", "0823", "0852", "0853", "0857", "0858", "0877", "0878", "0895")


@dataclass(frozen=True)
class SeedSummary:
    acquisitions_per_year: dict
    participants: int
    reacquired_participants: int
    contributions: int
    agents: int
    active_agents: int
    offices: int
    agreements: int

    def lines(self):
        years = "; ".join(f"{year}: {count:,}" for year, count in self.acquisitions_per_year.items())
        return [
            f"Cilacap demo data created (random seed {SEED}).",
            f"  acquisitions per year: {years}",
            f"  participants: {self.participants:,} ({self.reacquired_participants} acquired again after lapsing)",
            f"  contributions: {self.contributions:,}",
            f"  agents: {self.agents} ({self.active_agents} active) in {self.offices} Perisai offices, "
            f"{self.agreements} PKS",
            f"  accounts: {', '.join(a.username for a in DEMO_ACCOUNTS)} (password {DEMO_PASSWORD})",
        ]


class DemoDataError(Exception):
    """The database holds something the demo data would clash with."""


def seed_cilacap_demo(*, stdout=None, today=None):
    """Write the Cilacap demo data as of ``today`` (default: today in Jakarta) and return its
    ``SeedSummary``; ``None`` if it is already there.

    ``stdout`` (a file-like object), when given, receives a short report. Tests pass a fixed ``today``
    so their figures hold on any day.
    """
    now = DemoNow(today or timezone.localdate())
    if Branch.objects.filter(code=BRANCH_CODE).exists():
        _write(stdout, [f"The demo data is already there (branch {BRANCH_CODE} exists); nothing changed."])
        return None
    usernames = [account.username for account in DEMO_ACCOUNTS]
    taken = sorted(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    if taken:
        raise DemoDataError(f"Demo accounts already exist: {', '.join(taken)}. Use a fresh database.")
    summary = _seed(random.Random(SEED), now)
    _write(stdout, summary.lines())
    return summary


def _write(stdout, lines):
    if stdout is not None:
        for line in lines:
            stdout.write(line + "\n")


@transaction.atomic
def _seed(rng, now):
    branch = Branch.objects.create(
        code=BRANCH_CODE,
        name=BRANCH_NAME,
        address="Jl. Jend. Sudirman No. 23, Cilacap",
        city="Cilacap",
        phone="0282-534567",
        head_name="Hendra Gunawan, S.E., M.M.",
    )
    BranchArea.objects.create(branch=branch, regency=REGENCY_CODE)
    rate = ContributionRate.objects.create(**RATE)
    _create_programme_terms()
    offices = _create_offices(rng, branch, now)
    people = People(rng)
    agents = _create_agents(rng, people, branch, offices)
    acquisitions, paid, activity = _plan_acquisitions(rng, agents, branch, rate)
    reacquired = _choose_reacquisitions(rng, acquisitions)
    _hand_over_participants_of_leavers(rng, agents, acquisitions)
    participants = _attach_participants(rng, people, acquisitions, reacquired, branch)
    channels = Channels()
    history_payments = list(_contributions(rng, channels, acquisitions, paid))
    _create_targets(rng, branch, offices, agents, acquisitions)
    logins = _busiest_active_agents(agents, acquisitions, count=2)
    # The main Random is done: everything to June 2022 is drawn as it always was. From here on the
    # story carries on to ``now`` from its own Random (demo.present), which builds on this module.
    from demo.present import Present

    present = Present(
        now,
        branch=branch,
        rate=rate,
        offices=offices,
        agents=agents,
        activity=activity,
        acquisitions=acquisitions,
        paid=paid,
        reacquired=reacquired,
        people=people,
        channels=channels,
        staying=logins,
    )
    present.plan()
    present.write_network()
    present.write_records(participants, history_payments)
    present.write_targets()
    _create_accounts(branch, logins)
    from demo.recruitment import seed_recruitment  # it builds on this module's places and people

    seed_recruitment(branch=branch, now=now)
    return _summarise(branch, reacquired=len(reacquired) + present.reacquired)


def _create_programme_terms():
    """The incentive schemes (with their tiers and fees) and programme terms, unless rows from the same
    dates are already there."""
    for fields in INCENTIVE_SCHEMES:
        values = {name: value for name, value in fields.items() if name not in ("effective_from", "tiers", "fees")}
        scheme, created = IncentiveScheme.objects.get_or_create(
            effective_from=fields["effective_from"], defaults=values
        )
        if created:
            for from_month, to_month, rate in fields["tiers"]:
                FeeTier.objects.create(scheme=scheme, from_month=from_month, to_month=to_month, rate=rate)
            for package, amount in fields["fees"].items():
                AcquisitionFee.objects.create(scheme=scheme, package=package, amount=amount)
    for fields in PROGRAMME_TERMS:
        values = {name: value for name, value in fields.items() if name != "effective_from"}
        ProgrammeTerms.objects.get_or_create(effective_from=fields["effective_from"], defaults=values)


# --- people -------------------------------------------------------------------------------------


class People:
    """Names, NIKs, phones, addresses and KPJ numbers; NIKs and KPJ numbers never repeat."""

    def __init__(self, rng):
        self.rng = rng
        self._niks = set()
        self._kpj_numbers = set()

    def sharing(self, rng):
        """People drawn from ``rng`` whose NIKs and KPJ numbers never repeat these people's either."""
        people = People(rng)
        people._niks, people._kpj_numbers = self._niks, self._kpj_numbers
        return people

    def gender(self, female_share):
        return FEMALE if self.rng.random() < female_share else MALE

    def birth_date(self, on, *, youngest, oldest):
        """A birth date making the person between ``youngest`` and ``oldest`` years old on ``on``."""
        earliest = years_before(on, oldest + 1) + datetime.timedelta(days=1)
        latest = years_before(on, youngest)
        return earliest + datetime.timedelta(days=self.rng.randint(0, (latest - earliest).days))

    def name(self, gender):
        first = self.rng.choice(FEMALE_NAMES if gender == FEMALE else MALE_NAMES)
        if self.rng.random() < SINGLE_NAME_SHARE:
            return first
        return f"{first} {self.rng.choice(FEMALE_SURNAMES if gender == FEMALE else MALE_SURNAMES)}"

    def nik(self, region_code, birth_date, gender):
        while True:
            nik = build_nik(region_code, birth_date, gender, self.rng.randint(1, 9999))
            if nik not in self._niks:
                break
        validate_nik(nik)
        self._niks.add(nik)
        return nik

    def kpj_number(self, enrolled_on):
        """11 digits: the enrolment year's last two digits, then nine more."""
        while True:
            number = f"{enrolled_on:%y}{self.rng.randrange(10**9):09d}"
            if number not in self._kpj_numbers:
                self._kpj_numbers.add(number)
                return number

    def phone(self):
        prefix = self.rng.choice(PHONE_PREFIXES)
        return f"+62{prefix[1:]}{self.rng.randint(1000, 9999)}{self.rng.randint(1000, 9999)}"  # perisai.phones' form

    def address(self):
        return f"Dusun {self.rng.choice(DUSUN)} RT {self.rng.randint(1, 8):03d}/RW {self.rng.randint(1, 6):03d}"

    def place(self, kecamatan_code):
        """A desa of the kecamatan, with both codes and official names (one draw, as before codes)."""
        kecamatan, villages = KECAMATAN[kecamatan_code]
        village = find_village(self.rng.choice(villages), kecamatan_code)
        return {"kecamatan": kecamatan, "desa": village.name, "district": kecamatan_code, "village": village.code}


# --- network: offices, PKS, agents -------------------------------------------------------------


def _create_offices(rng, branch, now):
    offices = {}
    for spec in OFFICES:
        office = PerisaiOffice.objects.create(
            branch=branch,
            code=spec.code,
            name=spec.name,
            area=", ".join(KECAMATAN[code][0] for code in spec.kecamatan),
            address=spec.address,
            contact_person=spec.contact_person,
            phone=spec.phone,
        )
        _create_agreements(rng, office, EARLY_PKS_ROUNDS + spec.later_pks_rounds, now)
        offices[spec.code] = office
    return offices


def _create_agreements(rng, office, rounds, now):
    """A chain of PKS, each renewing the one before it; each round's agreements signed the same couple of
    weeks before they start. A PKS is there once signed by the demo's today. An office that renews
    (``RENEWALS``) carries on past the fixed rounds, a PKS at a time, each signed 10 to 20 days before it
    starts; those leads come from a Random of their own, so the main one draws once a fixed round,
    whatever the day."""
    previous = None
    sequence = 0
    further = _further_rounds(office.code, rounds[-1][-1][1], now)
    for number, agreements in enumerate((*rounds, *further)):
        draw = rng if number < len(rounds) else random.Random(f"PKS {office.code} {agreements[0][0]}")
        lead = datetime.timedelta(days=draw.randint(10, 20))
        for starts_on, ends_on in agreements:
            if starts_on - lead > now.records_end:
                continue
            sequence += 1
            previous = CooperationAgreement.objects.create(
                office=office,
                number=f"PKS/{office.code}/{starts_on.year}/{sequence:03d}",
                signed_on=starts_on - lead,
                starts_on=starts_on,
                ends_on=ends_on,
                renews=previous,
                notes=f"Perpanjangan {previous.number}." if previous else "PKS pertama.",
            )


def _further_rounds(office_code, last_end, now):
    """The renewals after ``last_end`` of an office that renews (``RENEWALS``: months a PKS runs), up to
    the first that may not be signed yet on the demo's today."""
    months = RENEWALS.get(office_code)
    rounds = []
    starts_on = last_end + datetime.timedelta(days=1)
    while months and starts_on - datetime.timedelta(days=20) <= now.records_end:
        rounds.append(((starts_on, add_months(starts_on, months) - datetime.timedelta(days=1)),))
        starts_on = add_months(starts_on, months)
    return rounds


def _create_agents(rng, people, branch, offices):
    """About 80 agents in training batches, numbered in the order they joined; about ten left later."""
    agents = []
    for trained_on, count in TRAINING_BATCHES:
        for _ in range(count):
            office_code = RECRUITMENT_ROTATION[len(agents) % len(RECRUITMENT_ROTATION)]
            joined_on = trained_on + datetime.timedelta(days=rng.randint(3, 14))
            agents.append(
                new_agent(
                    rng,
                    people,
                    branch=branch,
                    office=offices[office_code],
                    office_code=office_code,
                    number=len(agents) + 1,
                    joined_on=joined_on,
                    trained_on=trained_on,
                )
            )
    _let_some_agents_leave(rng, agents)
    return Agent.objects.bulk_create(agents)


def new_agent(rng, people, *, branch, office, office_code, number, joined_on, trained_on):
    """The ``number``-th agent of the branch, living in the office's area: drawn in the same order by the
    history and by ``demo.present``, so neither's figures depend on how the other writes its agents."""
    kecamatan_code = rng.choice(OFFICE_KECAMATAN[office_code])
    gender = people.gender(0.45)
    birth_date = people.birth_date(joined_on, youngest=22, oldest=55)
    return Agent(
        branch=branch,
        office=office,
        code=f"{BRANCH_CODE}-A{number:03d}",
        nik=people.nik(kecamatan_code, birth_date, gender),
        full_name=people.name(gender),
        gender=gender,
        birth_date=birth_date,
        phone=people.phone(),
        **people.place(kecamatan_code),
        joined_on=joined_on,
        trained_on=trained_on,
        declared_not_bpjs_employee_on=joined_on,
    )


def _let_some_agents_leave(rng, agents):
    first_day, last_day = LEAVING_WINDOW
    veterans = [agent for agent in agents if agent.joined_on < datetime.date(2021, 9, 1)]
    for agent in rng.sample(veterans, AGENTS_WHO_LEFT):
        earliest = max(agent.joined_on + datetime.timedelta(days=120), first_day)
        agent.left_on = earliest + datetime.timedelta(days=rng.randint(0, (last_day - earliest).days))
        agent.status = Agent.Status.INACTIVE
        agent.deactivation_reason = Agent.DeactivationReason.RESIGNED


# --- acquisitions ------------------------------------------------------------------------------


def _plan_acquisitions(rng, agents, branch, rate):
    """Unsaved acquisitions in date order, the months each one is paid for, and each agent's activity
    weight (``demo.present`` keeps it)."""
    days = _acquisition_days(rng)
    activity = [min(rng.paretovariate(1.2), MAX_AGENT_ACTIVITY) for _ in agents]
    pick_agent = _active_agent_picker(rng, agents, activity)
    acquisitions, paid = [], []
    for day in days:
        agent = pick_agent(day)
        periods = _paid_periods(rng, day)
        income = draw_declared_income(rng)
        with_jht = rng.random() < JHT_SHARE
        lapsed = periods[-1] < LAPSE_CUTOFF
        acquisitions.append(
            Acquisition(
                agent=agent,
                caretaker=agent,
                branch=branch,
                office=agent.office,
                acquired_on=day,
                status=Acquisition.Status.LAPSED if lapsed else Acquisition.Status.ACTIVE,
                ended_on=shift_month(periods[-1], MONTHS_UNPAID_BEFORE_LAPSE) if lapsed else None,
                rate=rate,
                declared_income=income,
                with_jht=with_jht,
                monthly_contribution=rate.breakdown(income, with_jht=with_jht).total,
            )
        )
        paid.append(periods)
    return acquisitions, paid, activity


def _hand_over_participants_of_leavers(rng, agents, acquisitions):
    """Staff move the participants of an agent who left (paying or lapsed, to follow up) to an active
    agent of the same office."""
    stayers = {}
    for agent in agents:
        if agent.left_on is None:
            stayers.setdefault(agent.office_id, []).append(agent)
    for acquisition in acquisitions:
        if acquisition.agent.left_on is not None:
            acquisition.caretaker = rng.choice(stayers[acquisition.agent.office_id])


def draw_declared_income(rng):
    """Most declare the minimum income; some declare Rp 1.5 to 3 million."""
    if rng.random() < MINIMUM_INCOME_SHARE:
        return RATE["min_declared_income"]
    return Decimal(rng.choice(HIGHER_INCOMES))


def _acquisition_days(rng):
    """The date of every acquisition, sorted; each month's count is exact, its days weighted."""
    days = []
    for year, total, month_weights in ACQUISITION_PLAN:
        for month, count in enumerate(largest_remainder(total, month_weights), start=1):
            last = month_end(datetime.date(year, month, 1)).day
            month_days = [datetime.date(year, month, d) for d in range(1, last + 1)]
            days += rng.choices(month_days, weights=[history_day_weight(d) for d in month_days], k=count)
    return sorted(days)


def history_day_weight(day):
    """Fewer enrolments on weekends, hardly any during the Lebaran break."""
    if any(start <= day <= end for start, end in LEBARAN_BREAKS):
        return 0.1
    return {5: 0.6, 6: 0.25}.get(day.weekday(), 1.0)


def _active_agent_picker(rng, agents, activity):
    """A function giving, for a day, an agent active that day, busier agents more often."""
    pools = {}

    def pick(day):
        if day not in pools:
            active = [i for i, agent in enumerate(agents) if _was_active(agent, day)]
            pools[day] = ([agents[i] for i in active], list(accumulate(activity[i] for i in active)))
        candidates, cumulative = pools[day]
        return rng.choices(candidates, cum_weights=cumulative)[0]

    return pick


def _was_active(agent, day):
    return agent.joined_on <= day and (agent.left_on is None or day < agent.left_on)


def _paid_periods(rng, acquired_on):
    """The months paid for: always the first; most keep paying to June 2022, some stop, a few skip."""
    periods = []
    period = acquired_on.replace(day=1)
    while period <= LAST_PERIOD:
        periods.append(period)
        period = shift_month(period, 1)
    if rng.random() < STOPPING_SHARE:
        periods = periods[: 1 + int(rng.expovariate(1 / MEAN_EXTRA_MONTHS_BEFORE_STOPPING))]
    if len(periods) > 2 and rng.random() < SKIPPING_SHARE:
        periods = [periods[0], *(p for p in periods[1:-1] if rng.random() >= SKIP_CHANCE), periods[-1]]
    return periods


def _choose_reacquisitions(rng, acquisitions):
    """Map some 2022 acquisitions (by index) to an earlier lapsed 2021 acquisition of the same
    office whose worker they enrol again; each lapsed worker is enrolled again at most once."""
    lapsed = [
        i for i, a in enumerate(acquisitions) if a.acquired_on.year == 2021 and a.status == Acquisition.Status.LAPSED
    ]
    rng.shuffle(lapsed)
    in_2022 = [i for i, a in enumerate(acquisitions) if a.acquired_on.year == 2022]
    reacquired = {}
    for new in sorted(rng.sample(in_2022, REACQUISITIONS)):
        old = next((i for i in lapsed if _may_enrol_again(acquisitions[i], acquisitions[new])), None)
        if old is not None:
            lapsed.remove(old)
            reacquired[new] = old
    return reacquired


def _may_enrol_again(lapsed, new):
    return lapsed.office_id == new.office_id and lapsed.ended_on < new.acquired_on


def _attach_participants(rng, people, acquisitions, reacquired, branch):
    """Give every acquisition its participant: a new worker, or the earlier one enrolled again."""
    participants = []
    for i, acquisition in enumerate(acquisitions):
        if i in reacquired:
            acquisition.participant = acquisitions[reacquired[i]].participant
        else:
            acquisition.participant = new_participant(rng, people, acquisition.agent, acquisition.acquired_on, branch)
            participants.append(acquisition.participant)
    return participants


def new_participant(rng, people, agent, acquired_on, branch):
    """A worker ``agent`` enrols on ``acquired_on``, unsaved."""
    return Participant(branch=branch, **participant_values(rng, people, agent, acquired_on))


def participant_values(rng, people, agent, acquired_on):
    """The fields of a worker ``agent`` enrols on ``acquired_on`` (all but the branch): where they live,
    their occupation, name, NIK, phone and KPJ number."""
    kecamatan_code = _participant_kecamatan(rng, agent)
    coastal = kecamatan_code in COASTAL_KECAMATAN
    mix = rng.choices(OCCUPATIONS, weights=[m.coastal_weight if coastal else m.inland_weight for m in OCCUPATIONS])[0]
    gender = people.gender(mix.female_share)
    birth_date = people.birth_date(acquired_on, youngest=18, oldest=59)
    return dict(
        nik=people.nik(kecamatan_code, birth_date, gender),
        full_name=people.name(gender),
        gender=gender,
        birth_date=birth_date,
        phone=people.phone() if rng.random() < PHONE_SHARE else "",
        address=people.address(),
        **people.place(kecamatan_code),
        occupation=mix.occupation,
        kpj_number=people.kpj_number(acquired_on) if rng.random() < KPJ_SHARE else None,
    )


def _participant_kecamatan(rng, agent):
    """Half the workers live in the agent's own kecamatan, most others in the office's area."""
    roll = rng.random()
    if roll < 0.5:
        return KECAMATAN_CODE_BY_NAME[agent.kecamatan]
    if roll < 0.9:
        return rng.choice(OFFICE_KECAMATAN[agent.office.code])
    return rng.choice(list(KECAMATAN))


# --- contributions -----------------------------------------------------------------------------


def _contributions(rng, channels, acquisitions, paid):
    """One contribution per paid month, credited to the agent looking after the participant when paid."""
    for index, (acquisition, periods) in enumerate(zip(acquisitions, paid, strict=True)):
        usual_channel = draw_channel(rng)
        channels.usual[index] = usual_channel
        for period in periods:
            paid_on, channel = _payment(rng, acquisition, period, usual_channel)
            yield channels.contribution(index, acquisition, period, paid_on, channel)


class Payment(NamedTuple):
    """A contribution to write (``demo.present.write_contributions``): the acquisition and agents are
    objects whose primary keys are known by the time it is written."""

    acquisition: object
    period: datetime.date
    amount: Decimal
    paid_on: datetime.date
    channel: str
    receipt_number: str
    collected_by: object
    credited_to: object
    channel_name: str
    reference: str


class Channels:
    """How each payment came in: an agent's collection gets the next receipt (kwitansi) number of its
    year; a channel's payment the name of the bank, shop or app (each worker keeps to one per channel)
    and a transaction reference in that channel's format, never repeated. Draws only from its own
    ``random.Random(CHANNEL_SEED)``, never from the demo's main one."""

    def __init__(self):
        self.rng = random.Random(CHANNEL_SEED)
        self.usual = {}  # acquisition index -> the channel the worker usually pays through
        self._receipts = Counter()
        self._names = {}
        self._references = set()

    def contribution(self, index, acquisition, period, paid_on, channel, *, credited_to=None):
        """The ``Payment`` of ``period`` by the worker of ``acquisition`` (number ``index``), credited to
        ``credited_to`` (default: who looked after them on ``paid_on`` by the history's handover)."""
        collected = channel == Contribution.Channel.AGENT
        name = reference = receipt = ""
        if collected:
            receipt = self.receipt(paid_on)
        else:
            name = self.name(index, channel)
            reference = self.reference(name, paid_on)
        return Payment(
            acquisition=acquisition,
            period=period,
            amount=acquisition.monthly_contribution,
            paid_on=paid_on,
            channel=channel,
            receipt_number=receipt,
            collected_by=acquisition.agent if collected else None,
            credited_to=credited_to or _looking_after(acquisition, paid_on),
            channel_name=name,
            reference=reference,
        )

    def receipt(self, paid_on):
        """The next receipt (kwitansi) number of ``paid_on``'s year."""
        self._receipts[paid_on.year] += 1
        return f"KW-{paid_on.year}-{self._receipts[paid_on.year]:06d}"

    def name(self, index, channel):
        """The bank, shop or app worker ``index`` pays ``channel`` payments through."""
        if (index, channel) not in self._names:
            self._names[index, channel] = channel_name(self.rng, channel)
        return self._names[index, channel]

    def reference(self, name, paid_on):
        """A new transaction reference in ``name``'s format for a payment on ``paid_on``."""
        while True:
            reference = channel_reference(self.rng, name, paid_on)
            if reference not in self._references:
                self._references.add(reference)
                return reference


def channel_name(rng, channel):
    """A bank, shop or app of ``channel`` (not the agent's), by how common it is in Cilacap."""
    names, cumulative = _weighted_names(channel)
    return rng.choices(names, cum_weights=cumulative)[0]


@functools.cache
def _weighted_names(channel):
    names, weights = zip(*CHANNEL_NAMES[channel], strict=True)
    return names, tuple(accumulate(weights))


def channel_reference(rng, name, paid_on):
    """A transaction reference as channel ``name`` writes it, e.g. ``IDM220705482913``."""
    prefix, date_format, digits = REFERENCE_FORMATS[name]
    return f"{prefix}{_date_text(paid_on, date_format)}{rng.randrange(10**digits):0{digits}d}"


@functools.cache
def _date_text(day, date_format):
    return day.strftime(date_format)


def _looking_after(acquisition, paid_on):
    """Who looked after the participant on ``paid_on``: the acquiring agent until they left, then the
    agent the participants were handed over to."""
    return acquisition.agent if _was_active(acquisition.agent, paid_on) else acquisition.caretaker


def _payment(rng, acquisition, period, usual_channel):
    """When and how a month is paid: the first month to the agent on the day of enrolment; later
    months from the first of the month to the 10th of the next, mostly early, mostly the usual way."""
    if period == acquisition.acquired_on.replace(day=1):
        paid_on, channel = acquisition.acquired_on, Contribution.Channel.AGENT
    else:
        window = month_end(period).day + DAYS_LATE_AFTER_MONTH_END
        paid_on = period + datetime.timedelta(days=int(rng.triangular(0, window, 6)))
        channel = usual_channel if rng.random() < USUAL_CHANNEL_SHARE else draw_channel(rng)
    if channel == Contribution.Channel.AGENT and not _was_active(acquisition.agent, paid_on):
        channel = Contribution.Channel.PAYMENT_POINT  # an agent who has left collects nothing
    return paid_on, channel


def draw_channel(rng):
    return rng.choices(tuple(CHANNEL_WEIGHTS), weights=tuple(CHANNEL_WEIGHTS.values()))[0]


# --- targets and accounts ----------------------------------------------------------------------


def _create_targets(rng, branch, offices, agents, acquisitions):
    """2022 targets: the branch aims past 2021, shared among offices by their 2021 acquisitions."""
    in_2021 = Counter(a.office_id for a in acquisitions if a.acquired_on.year == 2021)
    office_list = list(offices.values())
    office_targets = largest_remainder(BRANCH_TARGET_2022, [in_2021[office.pk] for office in office_list])
    low, high = AGENT_TARGET_RANGE
    AcquisitionTarget.objects.bulk_create(
        [AcquisitionTarget(year=2022, branch=branch, target=BRANCH_TARGET_2022)]
        + [
            AcquisitionTarget(year=2022, branch=branch, office=office, target=target)
            for office, target in zip(office_list, office_targets, strict=True)
        ]
        + [
            AcquisitionTarget(year=2022, branch=branch, agent=agent, target=rng.randrange(low, high + 1, 5))
            for agent in agents
            if agent.status == Agent.Status.ACTIVE
        ]
    )


def _busiest_active_agents(agents, acquisitions, *, count):
    acquired = Counter(a.agent.code for a in acquisitions)
    active = [agent for agent in agents if agent.status == Agent.Status.ACTIVE]
    return sorted(active, key=lambda agent: (-acquired[agent.code], agent.code))[:count]


def _create_accounts(branch, agents_with_login):
    """The demo accounts, all with ``DEMO_PASSWORD``: hashed once for the five (each hash takes the
    hasher's full work, a good part of a second)."""
    agent_usernames = [account.username for account in DEMO_ACCOUNTS if account.role == User.Role.AGENT]
    agent_for = dict(zip(agent_usernames, agents_with_login, strict=True))
    password = make_password(DEMO_PASSWORD)
    for account in DEMO_ACCOUNTS:
        agent = agent_for.get(account.username)
        first_name, _, last_name = (agent.full_name if agent else account.full_name).partition(" ")
        user = User(
            username=account.username,
            role=account.role,
            branch=None if account.role == User.Role.ADMIN else branch,
            first_name=first_name,
            last_name=last_name,
            is_staff=account.is_staff,
            is_superuser=account.is_superuser,
        )
        user.password = password
        user.save()
        if agent:
            agent.user = user
            agent.save(update_fields=["user"])


def _summarise(branch, *, reacquired):
    per_year = (
        Acquisition.objects.filter(branch=branch)
        .annotate(year=ExtractYear("acquired_on"))
        .values_list("year")
        .annotate(count=Count("id"))
        .order_by("year")
    )
    agents = Agent.objects.filter(branch=branch)
    return SeedSummary(
        acquisitions_per_year=dict(per_year),
        participants=Participant.objects.filter(branch=branch).count(),
        reacquired_participants=reacquired,
        contributions=Contribution.objects.filter(acquisition__branch=branch).count(),
        agents=agents.count(),
        active_agents=agents.filter(status=Agent.Status.ACTIVE).count(),
        offices=PerisaiOffice.objects.filter(branch=branch).count(),
        agreements=CooperationAgreement.objects.filter(office__branch=branch).count(),
    )
