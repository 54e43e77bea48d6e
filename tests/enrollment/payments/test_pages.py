"""Staff import the month's payments file from the page: upload, see every row matched, record them."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from agents.models import User
from enrollment.models import Contribution, PaymentImport, PaymentLine
from tests.enrollment.payments.conftest import csv_file, payment, xlsx_file
from tests.factories import AgentFactory, BranchFactory, UserFactory

Outcome = PaymentLine.Outcome


@pytest.fixture
def signed_in(client, settings):
    def sign_in(user):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def staff_client(signed_in, staff):
    return signed_in(staff)


def upload(client, file, **data):
    return client.post(reverse("payments:upload"), {"file": file, **data}, follow=True)


def test_staff_upload_a_file_see_what_matched_and_record_it(staff_client, enrolled):
    acquisitions = enrolled(3)
    rows = [payment(acquisitions[0]), payment(acquisitions[1], jumlah=99000), payment(nik="3301019901900009")]

    preview = upload(staff_client, csv_file(rows, delimiter=";", bom=True))

    payment_import = preview.context["payment_import"]
    page = preview.content.decode()
    assert payment_import.status == PaymentImport.Status.PENDING
    assert payment_import.counts == {Outcome.MATCHED: 1, Outcome.AMOUNT_DIFFERS: 1, Outcome.UNKNOWN_PARTICIPANT: 1}
    assert "Record 2 payments" in page
    assert "No participant has this NIK or KPJ number." in page
    assert acquisitions[0].participant.full_name in page
    assert acquisitions[0].participant.nik not in page  # masked in the list
    assert not Contribution.objects.exists()

    done = staff_client.post(reverse("payments:confirm", args=[payment_import.pk]), follow=True)

    assert "2 payments recorded." in done.content.decode()
    assert Contribution.objects.count() == 2
    assert done.context["payment_import"].status == PaymentImport.Status.IMPORTED


def test_an_xlsx_file_with_english_headers_in_another_order_is_read(staff_client, enrolled):
    acquisition = enrolled()
    header = ("reference", "channel", "amount", "date paid", "period", "kpj", "NIK")
    row = payment(acquisition)
    values = [row["referensi"], "Indomaret", row["jumlah"], "2022-07-05", "Juli 2022", None, row["nik"]]

    preview = upload(staff_client, xlsx_file([values], header=header))

    assert preview.context["payment_import"].counts == {Outcome.MATCHED: 1}


def test_a_file_without_the_needed_columns_is_refused_with_every_missing_one_named(staff_client, enrolled):
    response = upload(staff_client, csv_file([["2022-07", "16800"]], header=("periode", "jumlah")))

    errors = response.context["form"].errors["file"]
    assert any("needs a “NIK” or a “KPJ” column" in error for error in errors)
    assert any("no “Date paid” column" in error for error in errors)
    assert any("no “Reference” column" in error for error in errors)
    assert not PaymentImport.objects.exists()


def test_the_rows_to_follow_up_download_as_a_workbook(staff_client, enrolled):
    acquisition = enrolled()
    rows = [
        payment(acquisition),
        payment(nik="3301019901900009", referensi="BRI-77"),
        payment(acquisition, referensi="=HYPERLINK(1)", periode="2022-06"),
        payment(nik="12"),
    ]
    payment_import = upload(staff_client, csv_file(rows)).context["payment_import"]

    response = staff_client.get(reverse("payments:follow_up", args=[payment_import.pk]))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:7] == ("nik", "kpj", "periode", "tanggal_bayar", "jumlah", "kanal", "referensi")
    assert [(row[7], row[8]) for row in values[1:]] == [
        (3, "Unknown participant"),
        (4, "Cannot be read"),
        (5, "Cannot be read"),
    ]
    assert values[1][:7] == ("3301019901900009", None, "2022-07", datetime.datetime(2022, 7, 5), 16800, "BRI", "BRI-77")
    assert values[2][6] == "'=HYPERLINK(1)" and "formula" in values[2][9]
    assert values[3][0] == "12" and "16 digits" in values[3][9]


def test_the_rows_are_listed_by_outcome(staff_client, enrolled):
    acquisition = enrolled()
    payment_import = upload(staff_client, csv_file([payment(acquisition), payment(nik="12")])).context["payment_import"]

    response = staff_client.get(reverse("payments:detail", args=[payment_import.pk]), {"outcome": "follow_up"})

    assert [line.row for line in response.context["page"]] == [3]


def test_the_history_lists_the_branchs_files_only(staff_client, enrolled, signed_in, other_branch_acquisition):
    upload(staff_client, csv_file([payment(enrolled())], name="juli.csv"))
    other_staff = UserFactory(branch=other_branch_acquisition.branch)
    upload(signed_in(other_staff), csv_file([payment(other_branch_acquisition)], name="lain.csv"))

    page = signed_in(UserFactory(branch=enrolled().branch)).get(reverse("payments:list")).content.decode()

    assert "juli.csv" in page and "lain.csv" not in page


def test_another_branchs_file_is_a_404_and_is_not_recorded(staff_client, enrolled, signed_in):
    payment_import = upload(staff_client, csv_file([payment(enrolled())])).context["payment_import"]
    stranger = signed_in(UserFactory(branch=BranchFactory()))

    for name in ("payments:detail", "payments:follow_up"):
        assert stranger.get(reverse(name, args=[payment_import.pk])).status_code == 404
    assert stranger.post(reverse("payments:confirm", args=[payment_import.pk])).status_code == 404
    assert not Contribution.objects.exists()


def test_the_branch_head_reads_but_cannot_upload_or_record(staff_client, enrolled, signed_in, branch):
    payment_import = upload(staff_client, csv_file([payment(enrolled())])).context["payment_import"]
    head = signed_in(UserFactory(branch=branch, role=User.Role.HEAD))

    assert head.get(reverse("payments:detail", args=[payment_import.pk])).status_code == 200
    assert "Record 1 payment" not in head.get(reverse("payments:detail", args=[payment_import.pk])).content.decode()
    assert head.post(reverse("payments:confirm", args=[payment_import.pk])).status_code == 403
    assert head.get(reverse("payments:follow_up", args=[payment_import.pk])).status_code == 403
    assert head.post(reverse("payments:upload"), {"file": csv_file([payment(enrolled())])}).status_code == 403
    assert not Contribution.objects.exists()


@pytest.mark.parametrize("name", ["payments:list", "payments:upload"])
def test_agents_get_404(client, office, name):
    user = UserFactory(role=User.Role.AGENT, branch=office.branch)
    AgentFactory(branch=office.branch, office=office, user=user)
    client.force_login(user)

    assert client.get(reverse(name)).status_code == 404


def test_a_national_administrator_chooses_the_branch_or_every_branch(signed_in, enrolled, other_branch_acquisition):
    admin = signed_in(UserFactory(role=User.Role.ADMIN, branch=None, is_staff=True, is_superuser=True))
    rows = [payment(enrolled()), payment(other_branch_acquisition)]

    national = upload(admin, csv_file(rows)).context["payment_import"]
    one_branch = upload(admin, csv_file(rows), branch=enrolled().branch.pk).context["payment_import"]

    assert national.branch is None and national.counts == {Outcome.MATCHED: 2}
    assert one_branch.counts == {Outcome.MATCHED: 1, Outcome.OTHER_BRANCH: 1}


def test_a_file_over_the_size_limit_is_refused_while_it_streams_in(staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from enrollment.importing.limits import PAYMENT_LIMITS

    big = SimpleUploadedFile("pembayaran.csv", b"nik,periode\n" + b"x" * PAYMENT_LIMITS.upload_bytes)

    response = upload(staff_client, big)

    assert response.wsgi_request.upload_too_large  # dropped by the upload handler, never spooled whole
    assert "larger than" in response.context["form"].errors["file"][0]
    assert not PaymentImport.objects.exists()


def test_confirming_twice_records_once(staff_client, enrolled):
    payment_import = upload(staff_client, csv_file([payment(enrolled())])).context["payment_import"]
    url = reverse("payments:confirm", args=[payment_import.pk])

    staff_client.post(url)
    again = staff_client.post(url, follow=True)

    assert "already been imported" in again.content.decode()
    assert Contribution.objects.count() == 1


def test_an_upload_without_the_csrf_token_is_refused(staff):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)

    response = client.post(reverse("payments:upload"), {"file": csv_file([payment()])})

    assert response.status_code == 403
    assert not PaymentImport.objects.exists()
