"""The demo's sample payments file, last month's channel payments the seeded demo waits for: what the
generator writes from the freshly seeded demo is the same every time for the same day, and importing it
into the demo gives the mix of outcomes a newcomer should see."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from demo.cilacap import AGENT_CHANNEL_NAME, DemoDataError
from demo.payments_sample import HEADER, csv_bytes, sample_name, sample_rows
from enrollment.models import Contribution, PaymentLine
from enrollment.services.payments import payment_import_confirm, payment_import_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

Outcome = PaymentLine.Outcome
EXPECTED_OUTCOMES = {
    Outcome.MATCHED: 2522,
    Outcome.CONFIRMS: 893,
    Outcome.AMOUNT_DIFFERS: 6,
    Outcome.UNKNOWN_PARTICIPANT: 3,
    Outcome.DUPLICATE: 2,
    Outcome.MALFORMED: 2,
    Outcome.ALREADY_RECORDED: 1,
    Outcome.BEFORE_ENROLMENT: 1,
    Outcome.REFERENCE_TAKEN: 1,
}


@pytest.fixture
def sample(demo, now):
    return csv_bytes(sample_rows(branch=demo, today=now.today))


def upload(content, name="pembayaran.csv"):
    return SimpleUploadedFile(name, content)


def test_the_sample_is_the_same_at_every_run_and_named_for_last_month(demo, now, sample):
    assert csv_bytes(sample_rows(branch=demo, today=now.today)) == sample
    assert sample_name(now.today) == "pembayaran-2026-11.csv"


def test_the_sample_is_a_semicolon_csv_of_last_month_with_the_indonesian_headers(now, sample):
    rows = list(csv.reader(io.StringIO(sample.decode("utf-8-sig")), delimiter=";"))

    assert sample.startswith(b"\xef\xbb\xbfnik;kpj;periode;tanggal_bayar;jumlah;kanal;referensi\r\n")
    assert tuple(rows[0]) == HEADER
    assert 2500 <= len(rows) - 1 <= 5000
    assert len(sample) < 400_000
    # Last month, the month before it paid along with it or twice, one month before an enrolment.
    assert {row[2] for row in rows[1:]} == {"2026-11", "2026-10", "2026-09"}
    assert max(row[3][6:] + row[3][3:5] + row[3][:2] for row in rows[1:]) == "20261206"  # none after today


def test_importing_the_sample_into_the_demo_matches_most_rows_and_lists_a_few_to_follow_up(demo, now, sample):
    pending = payment_import_create(upload=upload(sample), branch=demo, today=now.today)

    assert pending.counts == EXPECTED_OUTCOMES
    lines = pending.lines.order_by("row")
    differing = lines.filter(outcome=Outcome.AMOUNT_DIFFERS)
    assert {line.amount % 1000 for line in differing} == {Decimal(0)}
    assert all(line.amount != line.acquisition.monthly_contribution for line in differing)
    assert set(lines.filter(outcome=Outcome.CONFIRMS).values_list("channel_name", flat=True)) == {AGENT_CHANNEL_NAME}
    assert set(lines.filter(outcome=Outcome.UNKNOWN_PARTICIPANT).values_list("channel_name", flat=True)) == {"JMO"}
    malformed = " ".join(lines.filter(outcome=Outcome.MALFORMED).values_list("message", flat=True))
    assert "is not 16 digits" in malformed and "transaction reference is needed" in malformed
    for duplicate in lines.filter(outcome=Outcome.DUPLICATE):
        original = lines.get(row=duplicate.row - 1)
        assert (original.nik, original.reference, original.outcome) == (duplicate.nik, duplicate.reference, "matched")


def test_confirming_the_sample_records_its_payments_and_marks_every_agent_record_of_last_month_confirmed(
    demo, now, sample
):
    by_agents = Contribution.objects.filter(period=now.unreported_month, channel=Contribution.Channel.AGENT)
    recorded_by_agents = set(by_agents.values_list("pk", flat=True))

    pending = payment_import_create(upload=upload(sample), branch=demo, today=now.today)
    imported = payment_import_confirm(payment_import=pending, today=now.today)

    from_file = Contribution.objects.filter(payment_import=imported)
    assert from_file.count() == 2522 + 6 + 893
    assert from_file.exclude(reference="").count() == 2522 + 6
    assert set(from_file.filter(reference="").values_list("pk", flat=True)) == recorded_by_agents
    assert len(recorded_by_agents) == 893
    with pytest.raises(DemoDataError, match="freshly seeded"):
        sample_rows(branch=demo, today=now.today)


def test_the_command_writes_the_same_rows_as_a_workbook_that_imports_the_same_way(demo, now, tmp_path):
    path = tmp_path / "pembayaran-2026-11.xlsx"
    call_command("demo_payments_file", str(path), "--today", str(now.today), stdout=io.StringIO())

    pending = payment_import_create(upload=upload(path.read_bytes(), name=path.name), branch=demo, today=now.today)

    assert pending.counts == EXPECTED_OUTCOMES


def test_the_command_writes_the_sample_under_its_name(demo, now, sample, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()

    call_command("demo_payments_file", "--today", str(now.today), stdout=out)

    assert (tmp_path / "pembayaran-2026-11.csv").read_bytes() == sample
    assert f"{sum(EXPECTED_OUTCOMES.values()):,} payment rows for 11-2026" in out.getvalue()


def test_on_another_month_than_the_demos_it_says_to_seed_it_afresh(demo, now):
    with pytest.raises(DemoDataError, match="seeded in another month"):
        sample_rows(branch=demo, today=now.today.replace(year=2027, month=1))
