"""Every CSV download also comes in the form Excel opens directly on a computer set up for Indonesia:
semicolons between cells, a decimal comma, UTF-8 with a byte-order mark. The cells are the same."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from agents.models import User
from reports import catalogue
from reports.catalogue import REPORTS, Column, Table
from reports.exports import COMMA, SEMICOLON, table_csv_lines
from reports.periods import Period
from tests.factories import ParticipantFactory, UserFactory
from tests.reports.conftest import acquire, pay

pytestmark = pytest.mark.django_db

BOM = "\ufeff"


def read(text, delimiter):
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :]), delimiter=delimiter))


def as_in_comma_form(cell):
    """A semicolon-form cell as the comma form writes it: a decimal comma back to a point."""
    head, comma, tail = cell.rpartition(",")
    if comma and head.lstrip("-").isdigit() and tail.isdigit():
        return f"{head}.{tail}"
    return cell


def test_both_forms_hold_the_same_cells_with_their_own_separators():
    columns = [
        Column("name", "Nama; kantor", catalogue.TEXT),
        Column("count", "Akuisisi"),
        Column("share", "Porsi (%)", catalogue.PERCENT),
        Column("money", "Iuran", catalogue.RUPIAH),
        Column("day", "Tanggal", catalogue.DATE),
        Column("change", "Perubahan (%)", catalogue.CHANGE),
    ]
    rows = [
        {"name": "Kroya; Jl. Raya, 5", "count": 1234, "share": 12.5, "money": Decimal("16800.50"),
         "day": datetime.date(2022, 6, 30), "change": Decimal("-3.25")},
        {"name": 'Kantor "Kota"', "count": 0, "share": None, "money": Decimal(16800),
         "day": None, "change": 100},
    ]  # fmt: skip
    table = Table(title="Uji", columns=columns, rows=rows)

    comma = read("".join(table_csv_lines(table, COMMA)), ",")
    semicolon = read("".join(table_csv_lines(table, SEMICOLON)), ";")

    assert comma[0] == semicolon[0] == [str(column.label) for column in columns]
    assert comma[1] == ["Kroya; Jl. Raya, 5", "1234", "12.5", "16800.50", "2022-06-30", "-3.25"]
    assert semicolon[1] == ["Kroya; Jl. Raya, 5", "1234", "12,5", "16800,50", "2022-06-30", "-3,25"]
    assert [[as_in_comma_form(cell) for cell in row] for row in semicolon] == comma


def test_the_usual_form_stays_the_default():
    table = Table(title="Uji", columns=[Column("share", "Porsi", catalogue.PERCENT)], rows=[{"share": 2.5}])

    assert "".join(table_csv_lines(table)) == "".join(table_csv_lines(table, COMMA)) == f"{BOM}Porsi\r\n2.5\r\n"


@pytest.fixture
def staff_client(client, cilacap):
    client.force_login(UserFactory(role=User.Role.STAFF, branch=cilacap["branch"]))
    return client


@pytest.fixture
def acquisitions(cilacap):
    for number in range(7):
        acquisition = acquire(cilacap[("ani", "budi", "citra")[number % 3]], datetime.date(2022, 1 + number % 5, 3))
        if number % 2:
            pay(acquisition, (2022, 1 + number % 5))
    hostile = ParticipantFactory(branch=cilacap["branch"], full_name="Sri; Rahayu", desa="Desa, Kidul")
    acquire(cilacap["ani"], datetime.date(2022, 2, 1), participant=hostile)
    return cilacap


def download(client, url, **query):
    response = client.get(url, {"through": "2022-06", **query})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("slug", ["kecamatan", "agents", "network", "yearly"])
def test_a_report_downloads_in_both_forms_with_the_same_cells(staff_client, acquisitions, in_english, slug):
    url = reverse("reports:report_csv", args=[slug])

    comma = download(staff_client, url)
    semicolon = download(staff_client, url, sep="semicolon")

    assert semicolon.startswith(b"\xef\xbb\xbf") and comma.startswith(b"\xef\xbb\xbf")
    comma_rows = read(comma.decode("utf-8"), ",")
    semicolon_rows = read(semicolon.decode("utf-8"), ";")
    assert len(comma_rows) > 1
    assert [[as_in_comma_form(cell) for cell in row] for row in semicolon_rows] == comma_rows


def test_the_decimals_of_a_report_are_written_with_a_comma_in_the_semicolon_form(
    staff_client, acquisitions, in_english
):
    """The agents report has shares of the total (percent, not whole) and per-month averages."""
    table = REPORTS["agents"].table(scope=acquisitions["scope"], period=Period(2022, 6))
    decimals = [
        str(value) for row in table.value_rows() for value in row if isinstance(value, float | Decimal) and value % 1
    ]
    assert decimals, "the report should have a number that is not whole"

    semicolon = download(staff_client, reverse("reports:report_csv", args=["agents"]), sep="semicolon").decode()

    for decimal in decimals:
        assert decimal.replace(".", ",") in semicolon


def test_the_participant_list_downloads_in_both_forms_with_the_same_cells(staff_client, acquisitions, in_english):
    url = reverse("reports:participants_csv")

    comma = read(download(staff_client, url).decode("utf-8"), ",")
    semicolon = read(download(staff_client, url, sep="semicolon").decode("utf-8"), ";")

    assert len(comma) == 1 + 8
    assert [[as_in_comma_form(cell) for cell in row] for row in semicolon] == comma
    assert any("Sri; Rahayu" in row for row in semicolon)


def test_an_unknown_separator_gives_the_usual_form(staff_client, acquisitions):
    url = reverse("reports:report_csv", args=["kecamatan"])

    assert download(staff_client, url, sep="tab") == download(staff_client, url)


def test_the_pages_offer_both_forms(staff_client, acquisitions, in_english):
    report = staff_client.get(reverse("reports:report", args=["kecamatan"]), {"through": "2022-06"}).content.decode()
    index = staff_client.get(reverse("reports:index"), {"through": "2022-06"}).content.decode()
    recruitment = staff_client.get(reverse("reports:report", args=["recruitment"])).content.decode()

    csv_url = reverse("reports:report_csv", args=["kecamatan"])
    assert f'href="{csv_url}?through=2022-06">' in report
    assert f'href="{csv_url}?through=2022-06&amp;sep=semicolon"' in report
    assert "CSV (Indonesian Excel, ;)" in report
    assert "sep=semicolon" in index and "Participant list (CSV, Indonesian Excel, ;)" in index
    assert "sep=semicolon" in recruitment
