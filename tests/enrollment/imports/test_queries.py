"""The import runs a fixed number of queries however many rows the file has: set-based look-ups and
bulk inserts, never a query per row.

On PostgreSQL 50 and 500 rows take exactly the same queries (one INSERT per table for up to
``BULK_BATCH_SIZE`` rows). SQLite caps the parameters of one statement, so Django splits each
bulk INSERT into statements of a few dozen rows; the bound adds those statements, which the
database decides, not the import.
"""

import math

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from enrollment.importing.limits import BULK_BATCH_SIZE
from enrollment.models import Acquisition, Participant
from enrollment.services.history import KEYS_A_STATEMENT
from enrollment.services.imports import import_batch_confirm, import_batch_create
from tests.enrollment.imports.conftest import person, workbook_bytes
from tests.factories import AcquisitionFactory, AgentFactory

# Validation: kecamatan of participants and of agents, the programme terms (working age), agents, rates,
# existing NIKs, KPJ numbers, sample agents' names; then the batch's insert (with its branch, user and agent checked by
# full_clean), the purge, and the transaction's savepoints.
MAX_QUERIES_UPLOAD = 15
# The same look-ups again; the lock on the batch; the re-acquired participants read, updated and their
# history; the batch checked and saved; the savepoints. Plus the bulk INSERT statements.
MAX_QUERIES_CONFIRM_BESIDES_INSERTS = 19


def _insert_statements(rows):
    """How many INSERT statements ``rows`` new participants and acquisitions take on this database
    (bulk_create), and their history rows (one INSERT … SELECT per ``KEYS_A_STATEMENT`` keys)."""
    statements = 0
    for model in (Participant, Acquisition):
        fields = model._meta.concrete_fields
        per_statement = min(BULK_BATCH_SIZE, connection.ops.bulk_batch_size(fields, [None] * rows))
        statements += math.ceil(rows / per_statement) + math.ceil(rows / KEYS_A_STATEMENT)
    return statements


@pytest.mark.parametrize("rows", [50, 500])
def test_upload_and_confirm_take_the_same_queries_for_50_and_500_rows(
    rows, staff, office, rate, django_assert_max_num_queries
):
    agents = [AgentFactory(branch=office.branch, office=office) for _ in range(3)]
    lapsed = AcquisitionFactory(agent=agents[0], status=Acquisition.Status.LAPSED, ended_on="2021-06-30")
    data = [person(agent_code=agents[number % 3].code, kpj_number=f"2201{number:07d}") for number in range(rows - 1)]
    data.append(person(nik=lapsed.participant.nik, agent_code=agents[0].code))
    upload = SimpleUploadedFile("peserta.xlsx", workbook_bytes(data))

    with django_assert_max_num_queries(MAX_QUERIES_UPLOAD):
        batch = import_batch_create(upload=upload, user=staff)
    assert batch.result["valid"] == rows
    with django_assert_max_num_queries(MAX_QUERIES_CONFIRM_BESIDES_INSERTS + _insert_statements(rows)):
        import_batch_confirm(batch=batch, user=staff)

    assert Participant.objects.filter(branch=office.branch).count() == rows
    assert Acquisition.objects.filter(branch=office.branch).count() == rows + 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite splits bulk INSERTs by its parameter cap")
def test_on_postgresql_the_bound_is_the_same_for_50_and_500_rows():
    assert _insert_statements(50) == _insert_statements(500) == 4
