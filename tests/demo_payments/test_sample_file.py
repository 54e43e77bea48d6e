"""The demo's sample payments file for July 2022: the committed file is what the generator writes from a
freshly seeded demo, and importing it into the demo gives the mix of outcomes a newcomer should see."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from demo.cilacap import AGENT_CHANNEL_NAME, NEXT_PERIOD, DemoDataError
from demo.payments_sample import HEADER, SAMPLE_PATH, csv_bytes, sample_rows
from enrollment.models import Contribution, PaymentLine
from enrollment.services.payments import payment_import_confirm, payment_import_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

Outcome = PaymentLine.Outcome
EXPECTED_OUTCOMES = {
    Outcome.MATCHED: 4617,
    Outcome.CONFIRMS: 219,
    Outcome.AMOUNT_DIFFERS: 6,
    Outcome.UNKNOWN_PARTICIPANT: 3,
    Outcome.DUPLICATE: 2,
    Outcome.MALFORMED: 2,
    Outcome.ALREADY_RECORDED: 1,
    Outcome.BEFORE_ENROLMENT: 1,
    Outcome.REFERENCE_TAKEN: 1,
}


def sample_upload(content=None, name=SAMPLE_PATH.name):
    return SimpleUploadedFile(name, SAMPLE_PATH.read_bytes() if content is None else content)


def test_the_committed_sample_is_what_the_generator_writes_from_the_freshly_seeded_demo(demo):
    assert csv_bytes(sample_rows(branch=demo)) == SAMPLE_PATH.read_bytes()


def test_the_sample_is_a_semicolon_csv_with_the_indonesian_headers_and_a_few_thousand_rows():
    content = SAMPLE_PATH.read_bytes()
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))

    assert content.startswith(b"\xef\xbb\xbfnik;kpj;periode;tanggal_bayar;jumlah;kanal;referensi\r\n")
    assert tuple(rows[0]) == HEADER
    assert 4000 <= len(rows) - 1 <= 6000
    assert len(content) < 400_000
    assert {row[2] for row in rows[1:]} == {"2022-05", "2022-06", "2022-07"}


def test_importing_the_sample_into_the_demo_matches_most_rows_and_lists_a_few_to_follow_up(demo):
    pending = payment_import_create(upload=sample_upload(), branch=demo)

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


def test_confirming_the_sample_records_its_payments_and_marks_every_july_agent_record_confirmed(demo):
    agents_july = Contribution.objects.filter(period=NEXT_PERIOD, channel=Contribution.Channel.AGENT, reference="")
    recorded_by_agents = set(agents_july.values_list("pk", flat=True))

    imported = payment_import_confirm(payment_import=payment_import_create(upload=sample_upload(), branch=demo))

    from_file = Contribution.objects.filter(payment_import=imported)
    assert from_file.count() == 4617 + 6 + 219
    assert from_file.exclude(reference="").count() == 4617 + 6
    assert set(from_file.filter(reference="").values_list("pk", flat=True)) == recorded_by_agents
    assert len(recorded_by_agents) == 219
    with pytest.raises(DemoDataError, match="freshly seeded"):
        sample_rows(branch=demo)


def test_the_command_writes_the_same_rows_as_a_workbook_that_imports_the_same_way(demo, tmp_path):
    path = tmp_path / "pembayaran-2022-07.xlsx"
    call_command("demo_payments_file", str(path), stdout=io.StringIO())

    pending = payment_import_create(upload=sample_upload(path.read_bytes(), name=path.name), branch=demo)

    assert pending.counts == EXPECTED_OUTCOMES


def test_the_command_writes_the_committed_csv_again(demo, tmp_path):
    path = tmp_path / "pembayaran.csv"
    out = io.StringIO()

    call_command("demo_payments_file", str(path), stdout=out)

    assert path.read_bytes() == SAMPLE_PATH.read_bytes()
    assert "4,852 payment rows for July 2022" in out.getvalue()
