"""The dashboard and each report as a PDF for the meeting: the page's own figures, every row, on landscape A4
pages that each say what they are and which page they are; read back as a reader would, by its text."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from agents.models import User
from perisai.report_paper import Grid, column_widths
from reports.catalogue import REPORTS
from tests.factories import AgentFactory, UserFactory
from tests.reports.test_query_counts import DASHBOARD_QUERIES, REPORT_PAGE_QUERIES, add_rows

pytestmark = pytest.mark.django_db
THROUGH = {"through": "2022-06"}


@pytest.fixture
def staff_client(client, cilacap, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(UserFactory(role=User.Role.STAFF, branch=cilacap["branch"]))
    return client


def pages_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    return [page.extract_text() for page in reader.pages]


def test_a_report_pdf_holds_every_row_of_its_page_with_a_head_and_page_numbers_on_each_page(staff_client, cilacap):
    add_rows(cilacap, 60)
    for number in range(40):  # enough agents for the table to run over a page
        AgentFactory(branch=cilacap["branch"], office=cilacap["north"], full_name=f"Agen Nomor {number:02d}")

    response = staff_client.get(reverse("reports:report_pdf", args=["agents"]), THROUGH)

    pages = pages_of(response)
    text = "\n".join(pages)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "BPJS Ketenagakerjaan" in page and "By agent — Cilacap · January–June 2022" in page
        assert f"Page {number} of {len(pages)}" in page
        assert "Agent code" in page  # the header row repeats on every page
    for name in ["Ani", "Budi", "Citra", *(f"Agen Nomor {number:02d}" for number in range(40))]:
        assert name in text
    assert "filename*=utf-8" in response["Content-Disposition"] and ".pdf" in response["Content-Disposition"]


def test_the_dashboard_pdf_says_what_the_dashboard_says(staff_client, cilacap):
    add_rows(cilacap, 60)
    page = staff_client.get("/", {**THROUGH}).content.decode()

    text = "\n".join(pages_of(staff_client.get(reverse("reports:dashboard_pdf"), THROUGH)))

    assert "Dashboard" in text and "In short" in text and "Key figures" in text
    assert "Acquisitions by month: 2022 against 2021" in text
    assert "Acquisitions January–June 2022" in text
    for office in (cilacap["north"], cilacap["south"]):
        assert office.name in text and office.name in page


def test_the_pdf_speaks_the_readers_language(staff_client, settings):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"

    text = pages_of(staff_client.get(reverse("reports:report_pdf", args=["monthly"]), THROUGH))[0]

    assert "Akuisisi per bulan" in text and "Halaman 1 dari 1" in text


def test_agents_get_403(client, cilacap):
    client.force_login(UserFactory(role=User.Role.AGENT, branch=cilacap["branch"]))
    assert client.get(reverse("reports:dashboard_pdf")).status_code == 403
    assert client.get(reverse("reports:report_pdf", args=["agents"])).status_code == 403


def test_an_unknown_report_is_a_404(staff_client):
    assert staff_client.get(reverse("reports:report_pdf", args=["nothing"])).status_code == 404


def test_another_branchs_figures_never_reach_the_pdf(staff_client, cilacap, banyumas):
    text = "\n".join(
        pages_of(
            staff_client.get(
                reverse("reports:report_pdf", args=["agents"]), {"branch": banyumas["branch"].pk, **THROUGH}
            )
        )
    )

    assert "BMS-A1" not in text and "Banyumas" not in text


@pytest.mark.parametrize("count", [4, 60])
def test_the_pdfs_take_as_many_queries_as_their_pages(staff_client, cilacap, django_assert_max_num_queries, count):
    add_rows(cilacap, count)
    for slug in REPORTS:
        with django_assert_max_num_queries(REPORT_PAGE_QUERIES):
            assert staff_client.get(reverse("reports:report_pdf", args=[slug]), THROUGH).status_code == 200
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        assert staff_client.get(reverse("reports:dashboard_pdf"), THROUGH).status_code == 200


def test_columns_fill_the_page_and_long_names_wrap_instead_of_the_numbers():
    grid = Grid(
        header=("Agent", "Acquisitions"),
        rows=(("A very long name of a Perisai office " * 6, "1.234"),),
        numeric=(False, True),
    )
    widths = column_widths(grid.header, grid.rows, (True, False), width=500)

    assert sum(widths) == pytest.approx(500)
    assert widths[1] >= 40  # "Acquisitions" and "1.234" stay whole
