"""Next year's terms are rows, not code: a scheme with its tiers and fees added in the administration, the
schema's guards on them, and the migration that turned the flat rates into tiers."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from incentives.models import AcquisitionFee, FeeTier, IncentiveScheme
from incentives.statements import agent_statement
from tests.factories import AcquisitionFactory
from tests.incentives.builders import acquire, pay, scheme_april_2022, signed_in

D = datetime.date
ADD = reverse("admin:incentives_incentivescheme_add")


def scheme_form(**fields):
    """The admin's add form for a scheme, with ``tiers`` and ``fees`` inline."""
    tiers = fields.pop("tiers", [])
    fees = fields.pop("fees", [])
    data = {
        "name": "",
        "effective_from": "",
        "effective_to": "",
        "acquisition_minimum": "",
        "bonus_amount": "0",
        "recruitment_fee": "0",
        "office_share_rate": "0",
        "office_share_base": "fees",
        "fee_tiers-TOTAL_FORMS": str(len(tiers)),
        "fee_tiers-INITIAL_FORMS": "0",
        "fee_tiers-MIN_NUM_FORMS": "1",
        "fee_tiers-MAX_NUM_FORMS": "1000",
        "acquisition_fees-TOTAL_FORMS": str(len(fees)),
        "acquisition_fees-INITIAL_FORMS": "0",
        "acquisition_fees-MIN_NUM_FORMS": "0",
        "acquisition_fees-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, (first, last, rate) in enumerate(tiers):
        prefix = f"fee_tiers-{index}-"
        data |= {f"{prefix}from_month": first, f"{prefix}to_month": last, f"{prefix}rate": rate}
    for index, (package, amount) in enumerate(fees):
        data |= {f"acquisition_fees-{index}-package": package, f"acquisition_fees-{index}-amount": amount}
    return data


@pytest.mark.django_db
def test_an_administrator_adds_next_years_terms_as_one_scheme_with_its_rows(national_admin, agent, english):
    current = scheme_april_2022()
    current.effective_to = D(2022, 12, 31)
    current.save()
    admin = signed_in(national_admin)

    response = admin.post(
        ADD,
        scheme_form(
            name="Perisai 2023",
            effective_from="2023-01-01",
            acquisition_minimum="20",
            first_enrolments_only="on",
            tiers=[("1", "12", "0.2000"), ("13", "36", "0.1000")],
            fees=[("jkk_jkm_jht", "20000")],
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    scheme = IncentiveScheme.objects.get(name="Perisai 2023")
    assert [(t.from_month, t.to_month, t.rate) for t in scheme.tiers] == [
        (1, 12, Decimal("0.2")),
        (13, 36, Decimal("0.1")),
    ]
    assert scheme.package_fees == {AcquisitionFee.Package.THREE: Decimal(20_000)}
    # January 2023 is under the new row: a participant in membership month 13 earns 10%.
    acquisition = AcquisitionFactory(agent=agent, acquired_on=D(2022, 1, 10))
    pay(acquisition, period=D(2023, 1, 1), paid_on=D(2023, 1, 9))
    acquire(agent, D(2023, 1, 20), count=20, with_jht=True)
    statement = agent_statement(agent=agent, month=D(2023, 1, 1))
    assert statement.scheme == scheme
    assert (statement.incentive.fee, statement.incentive.acquisition_fee) == (Decimal(1_680), Decimal(400_000))


@pytest.mark.django_db
def test_tiers_covering_the_same_months_are_refused_with_a_message(national_admin, english):
    response = signed_in(national_admin).post(
        ADD,
        scheme_form(name="Salah", effective_from="2024-01-01", tiers=[("1", "24", "0.15"), ("12", "", "0.05")]),
    )

    assert response.status_code == 200
    assert "cover the same membership months" in response.content.decode()
    assert not IncentiveScheme.objects.exists()


@pytest.mark.django_db
def test_a_period_overlapping_another_scheme_is_refused(english):
    scheme_april_2022()
    overlapping = IncentiveScheme(name="Dobel", effective_from=D(2023, 1, 1))

    with pytest.raises(ValidationError, match="overlaps"):
        overlapping.full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tier",
    [
        {"from_month": 1, "to_month": None, "rate": Decimal("1.5")},
        {"from_month": 1, "to_month": None, "rate": Decimal("-0.1")},
        {"from_month": 0, "to_month": None, "rate": Decimal("0.1")},
        {"from_month": 25, "to_month": 24, "rate": Decimal("0.1")},
    ],
    ids=["rate-over-100%", "negative-rate", "month-0", "ends-before-it-starts"],
)
def test_the_schema_refuses_a_tier_out_of_range(tier):
    scheme = IncentiveScheme.objects.create(name="X", effective_from=D(2030, 1, 1))

    with pytest.raises(IntegrityError), transaction.atomic():
        FeeTier.objects.create(scheme=scheme, **tier)


@pytest.mark.django_db
def test_the_schema_refuses_a_bonus_without_its_minimum_and_a_second_fee_for_a_package():
    scheme = IncentiveScheme.objects.create(name="X", effective_from=D(2030, 1, 1))
    AcquisitionFee.objects.create(scheme=scheme, package="jkk_jkm", amount=10_000)

    with pytest.raises(IntegrityError), transaction.atomic():
        AcquisitionFee.objects.create(scheme=scheme, package="jkk_jkm", amount=12_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        IncentiveScheme.objects.create(name="Y", effective_from=D(2031, 1, 1), bonus_amount=500_000)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_on_postgresql_the_schema_refuses_two_schemes_in_force_in_the_same_month():
    IncentiveScheme.objects.create(name="A", effective_from=D(2022, 4, 1))  # open-ended

    with pytest.raises(IntegrityError), transaction.atomic():
        IncentiveScheme.objects.create(name="B", effective_from=D(2023, 1, 1))
    IncentiveScheme.objects.filter(name="A").update(effective_to=D(2022, 12, 31))
    assert IncentiveScheme.objects.create(name="B", effective_from=D(2023, 1, 1)).pk


# --- the migration ------------------------------------------------------------------------------------

BEFORE = [("incentives", "0002_programme_terms_to_agents")]
AFTER = [("incentives", "0004_scheme_terms")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def flat_scheme_before_the_tiers(transactional_db):
    old = migrate(BEFORE)
    scheme = old.get_model("incentives", "IncentiveScheme").objects.create(
        name="Insentif 2021",
        effective_from=D(2021, 1, 1),
        effective_to=D(2022, 3, 31),
        fee_rate=Decimal("0.0750"),
        bonus_threshold=50,
        bonus_amount=Decimal(500_000),
    )
    yield scheme.pk
    migrate(latest())


def test_the_migration_turns_each_flat_rate_into_one_tier(flat_scheme_before_the_tiers):
    pk = flat_scheme_before_the_tiers

    new = migrate(AFTER)

    scheme = new.get_model("incentives", "IncentiveScheme").objects.get(pk=pk)
    tiers = new.get_model("incentives", "FeeTier").objects.filter(scheme_id=pk)
    assert [(t.from_month, t.to_month, t.rate) for t in tiers] == [(1, None, Decimal("0.0750"))]
    assert (scheme.acquisition_minimum, scheme.bonus_amount, scheme.first_enrolments_only) == (50, 500_000, False)
    history = new.get_model("incentives", "HistoricalFeeTier").objects.get(scheme_id=pk)
    assert (history.history_type, history.history_change_reason) == ("+", "Converted from the scheme's flat fee rate")


def test_going_back_restores_the_flat_rate(flat_scheme_before_the_tiers):
    pk = flat_scheme_before_the_tiers
    migrate(AFTER)

    old = migrate(BEFORE)

    scheme = old.get_model("incentives", "IncentiveScheme").objects.get(pk=pk)
    assert (scheme.fee_rate, scheme.bonus_threshold) == (Decimal("0.0750"), 50)


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("en", ["Membership months 1–24 (years 1–2)", "Membership months 25–60 (years 3–5)", "Membership month 61 on"]),
        ("id", ["Bulan kepesertaan 1–24 (tahun 1–2)", "Bulan kepesertaan 25–60 (tahun 3–5)",
                "Bulan kepesertaan 61 dan seterusnya"]),
    ],
)  # fmt: skip
def test_a_tiers_months_read_in_the_language_of_the_page(language, labels):
    tiers = [FeeTier(from_month=1, to_month=24), FeeTier(from_month=25, to_month=60), FeeTier(from_month=61)]

    with translation.override(language):
        assert [tier.months_label for tier in tiers] == labels
