"""The confirmation validates the kept rows again: if anything changed since the preview, the new
preview is shown instead of an import; a batch is imported once."""

import datetime

from django.urls import reverse

from enrollment.models import Acquisition, ImportBatch, Participant
from tests.enrollment.imports.conftest import person, xlsx_upload
from tests.factories import AcquisitionFactory, ParticipantFactory


def test_a_worker_enrolled_meanwhile_turns_the_import_into_a_new_preview(upload, confirm, agent, branch):
    rows = [person(), person()]
    batch = upload(xlsx_upload(rows)).context["batch"]
    AcquisitionFactory(
        agent=agent,
        participant=ParticipantFactory(branch=branch, nik=rows[1]["nik"]),
        acquired_on=datetime.date(2022, 4, 2),
    )

    response = confirm(batch)

    page = response.content.decode()
    assert "The data changed since the preview, so nothing was imported." in page
    assert "This worker is already enrolled on 2 April 2022 by" in page
    assert not Participant.objects.filter(nik=rows[0]["nik"]).exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING
    assert batch.result["rows_with_errors"] == 1


def test_a_batch_is_imported_once(upload, confirm, branch):
    batch = upload(xlsx_upload([person()])).context["batch"]
    confirm(batch)

    response = confirm(batch)

    assert "This file has already been imported." in response.content.decode()
    assert Acquisition.objects.filter(branch=branch).count() == 1


def test_an_expired_upload_cannot_be_confirmed(upload, confirm, branch):
    batch = upload(xlsx_upload([person()])).context["batch"]
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=batch.created_at - datetime.timedelta(days=2))

    response = confirm(batch)

    assert "This upload has expired; upload the file again." in response.content.decode()
    assert not Participant.objects.filter(branch=branch).exists()


def test_stale_uploads_are_deleted_when_someone_uploads(upload):
    old = upload(xlsx_upload([person()])).context["batch"]
    ImportBatch.objects.filter(pk=old.pk).update(created_at=old.created_at - datetime.timedelta(days=2))

    upload(xlsx_upload([person()]))

    assert not ImportBatch.objects.filter(pk=old.pk).exists()


def test_confirm_needs_a_post(staff_client, upload):
    batch = upload(xlsx_upload([person()])).context["batch"]
    assert staff_client.get(reverse("enrollment:import_confirm", args=[batch.pk])).status_code == 405


def test_a_clash_while_writing_rolls_everything_back(upload, confirm, branch, monkeypatch):
    """Someone enrols one of the workers between the check and the write: the database's unique
    constraint stops the import, nothing is kept, and the preview is shown again."""
    from django.db import IntegrityError

    from enrollment.services import imports

    write = imports._write

    def write_then_clash(rows, *, batch, user):
        write(rows, batch=batch, user=user)
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(imports, "_write", write_then_clash)
    batch = upload(xlsx_upload([person(), person()])).context["batch"]

    response = confirm(batch)

    assert "The data changed since the preview, so nothing was imported." in response.content.decode()
    assert not Participant.objects.filter(branch=branch).exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING
