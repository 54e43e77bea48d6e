"""Where the acquired workers live: the kecamatan and desa reports by official code, and the kecamatan
page's map (a grid of the branch's kecamatan, shaded by acquisitions or by the share lapsed)."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from agents.models import BranchArea, User
from perisai.areas import districts_of
from reports.acquisitions import by_desa, by_kecamatan
from reports.continuity import participant_standing
from reports.periods import Period
from reports.places import (
    ACQUIRED_SHADES,
    LAPSED,
    LAPSED_SHADES,
    NOBODY_ACQUIRED,
    contrast,
    district_map,
    ink,
    lapsed_by_district,
    lapsed_steps,
    nice_width,
)
from tests.factories import CILACAP_DISTRICT, ParticipantFactory, UserFactory
from tests.reports.conftest import acquire, pay
from tests.reports.test_query_counts import REPORT_PAGE_QUERIES, add_rows

pytestmark = pytest.mark.django_db

PERIOD = Period(2022, 6)
KEDUNGREJA, KROYA, MAOS = CILACAP_DISTRICT, "330106", "330107"
TAMBAKREJA, BUMIREJA = "3301012001", "3301012002"
LUMBIR = "330201"  # Kabupaten Banyumas: outside the branch's regency
MAY = datetime.date(2022, 5, 2)


def lives_in(cilacap, district="", village="", *, kecamatan="", desa=""):
    return ParticipantFactory(
        branch=cilacap["branch"], district=district, village=village, kecamatan=kecamatan, desa=desa
    )


def acquired(cilacap, on=MAY, *, lapsed_on=None, **place):
    return acquire(cilacap["ani"], on, participant=lives_in(cilacap, **place), lapsed_on=lapsed_on)


@pytest.fixture
def serves_cilacap(cilacap):
    BranchArea.objects.create(branch=cilacap["branch"], regency="3301")
    return cilacap


@pytest.fixture
def staff(client, cilacap):
    client.force_login(UserFactory(role=User.Role.STAFF, branch=cilacap["branch"]))
    return client


def page(client, **query):
    response = client.get(
        reverse("reports:report", args=["kecamatan"]), {"through": "2022-06", **query}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    return response.content.decode()


TILE = re.compile(
    r'<g class="district-tile (?P<step>map-step-\w+)" data-district="(?P<code>\d+)".*?'
    r'<text class="district-figure"[^>]*>(?P<figure>[^<]*)</text>',
    re.S,
)


def tiles(html):
    """``{code: (shading class, figure)}`` of the map's squares; each is drawn once in the wide layout
    and once in the phone's."""
    found = [(match["code"], (match["step"], match["figure"])) for match in TILE.finditer(html)]
    assert len(found) == 2 * len(dict(found))
    return dict(found)


# --- the tables ---------------------------------------------------------------------------------


def test_two_spellings_of_one_kecamatan_count_once_under_its_official_name(cilacap, english):
    acquired(cilacap, district=KEDUNGREJA, kecamatan="Kedungreja")
    acquired(cilacap, district=KEDUNGREJA, kecamatan="kedung reja")
    acquired(cilacap, datetime.date(2021, 5, 3), district=KEDUNGREJA, kecamatan="Kec. Kedungreja")
    acquired(cilacap, district=MAOS, kecamatan="Maos")

    rows = by_kecamatan(scope=cilacap["scope"], period=PERIOD)

    assert [(row.key, row.label, row.acquisitions, row.previous) for row in rows] == [
        (KEDUNGREJA, "Kedungreja", 2, 1),
        (MAOS, "Maos", 1, 0),
    ]


def test_a_kecamatan_not_yet_coded_is_counted_by_its_text_and_says_so(cilacap, english):
    acquired(cilacap, kecamatan="Kroyaa")
    acquired(cilacap, kecamatan="Kroyaa")
    acquired(cilacap, district=KROYA, kecamatan="Kroya")

    rows = by_kecamatan(scope=cilacap["scope"], period=PERIOD)

    assert [(row.key, row.label, row.acquisitions) for row in rows] == [
        ("", "Kroyaa (not yet coded)", 2),
        (KROYA, "Kroya", 1),
    ]


def test_by_desa_labels_each_desa_with_its_kecamatan(cilacap, english):
    acquired(cilacap, district=KEDUNGREJA, village=TAMBAKREJA, kecamatan="Kedungreja", desa="Tambak Reja")
    acquired(cilacap, district=KEDUNGREJA, village=TAMBAKREJA, kecamatan="Kedungreja", desa="Tambakreja")
    acquired(cilacap, district=KEDUNGREJA, village=BUMIREJA, kecamatan="Kedungreja", desa="Bumireja")
    acquired(cilacap, district=KEDUNGREJA, kecamatan="Kedungreja", desa="Tambaksarii")
    acquired(cilacap, kecamatan="Kroyaa", desa="Pesawahan")

    rows = by_desa(scope=cilacap["scope"], period=PERIOD)

    assert [(row.key, row.label, row.acquisitions) for row in rows] == [
        (TAMBAKREJA, "Tambakreja, Kedungreja", 2),
        (BUMIREJA, "Bumireja, Kedungreja", 1),
        ("", "Pesawahan, Kroyaa (not yet coded)", 1),
        ("", "Tambaksarii (not yet coded), Kedungreja", 1),
    ]
    assert rows[0].share == Decimal("40.0")


def test_the_place_reports_are_on_their_pages_in_their_files_and_in_the_workbook(staff, cilacap):
    acquired(cilacap, district=KEDUNGREJA, village=TAMBAKREJA, kecamatan="Kedungreja", desa="Tambakreja")
    acquired(cilacap, kecamatan="Kroyaa", desa="Pesawahan")
    query = {"through": "2022-06"}

    desa_page = staff.get(reverse("reports:report", args=["desa"]), query, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "By desa" in desa_page and "Tambakreja, Kedungreja" in desa_page and TAMBAKREJA in desa_page

    response = staff.get(reverse("reports:report_csv", args=["kecamatan"]), query, HTTP_ACCEPT_LANGUAGE="en")
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert lines[0][:3] == ["Code", "Kecamatan", "Acquisitions"]
    assert sorted(line[:3] for line in lines[1:]) == [
        ["", "Kroyaa (not yet coded)", "1"],
        [KEDUNGREJA, "Kedungreja", "1"],
    ]

    response = staff.get(reverse("reports:workbook"), query, HTTP_ACCEPT_LANGUAGE="en")
    sheet = load_workbook(io.BytesIO(response.content))["By desa"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows(max_col=3)]
    assert ["Code", "Desa/kelurahan", "Acquisitions"] in values
    assert [TAMBAKREJA, "Tambakreja, Kedungreja", 1] in values


# --- the map ------------------------------------------------------------------------------------


def test_the_map_has_a_square_for_each_kecamatan_of_the_branch_shaded_by_acquisitions(staff, serves_cilacap):
    cilacap = serves_cilacap
    for _ in range(8):
        acquired(cilacap, district=KEDUNGREJA, kecamatan="Kedungreja")
    acquired(cilacap, district=KROYA, kecamatan="Kroya")
    acquired(cilacap, district=LUMBIR, kecamatan="Lumbir")  # moved in from Banyumas
    acquired(cilacap, kecamatan="Kroyaa")

    html = page(staff)
    found = tiles(html)

    assert set(found) == {district.code for district in districts_of("3301")} | {LUMBIR}
    assert list(found) == sorted(found)  # in the order of the codes
    # The largest figure, 8, over four steps of 2: 1–2, 3–4, 5–6, 7–8.
    assert found[KEDUNGREJA] == ("map-step-4", "8")
    assert found[KROYA] == ("map-step-1", "1") and found[LUMBIR] == ("map-step-1", "1")
    assert found[MAOS] == ("map-step-0", "0")
    assert "Kedungreja (330101): 8 acquisitions" in html
    assert "1 acquisition whose kecamatan is not yet coded is on no square" in html
    assert "A dashed border marks a kecamatan outside those regencies" in html
    legend = html[html.index('id="district-map-legend"') :]
    assert all(label in legend for label in ("1–2", "3–4", "5–6", "7–8"))


def test_the_map_shows_the_share_lapsed_with_the_rule_of_the_lapsed_report(staff, serves_cilacap):
    cilacap = serves_cilacap
    pay(acquired(cilacap, datetime.date(2022, 1, 10), district=KEDUNGREJA), (2022, 1))  # nothing since January
    acquired(cilacap, datetime.date(2022, 5, 1), district=KEDUNGREJA)  # acquired within the three months
    pay(acquired(cilacap, datetime.date(2021, 3, 1), district=KROYA), (2022, 6))
    acquired(cilacap, datetime.date(2021, 3, 1), district=MAOS, lapsed_on=datetime.date(2021, 9, 30))
    acquired(cilacap, datetime.date(2022, 1, 10), kecamatan="Kroyaa")

    html = page(staff, map=LAPSED)
    found = tiles(html)

    assert found[KEDUNGREJA] == ("map-step-2", "50.0%")  # 40–59.9%
    assert found[KROYA] == ("map-step-0", "0.0%")
    assert found[MAOS] == ("map-step-4", "100.0%")
    assert found["330102"] == ("map-step-none", "–")  # Kesugihan: nobody there
    assert "Kedungreja (330101): 1 of 2 participants lapsed (50.0%)" in html
    assert "1 participant whose kecamatan is not yet coded is on no square" in html
    assert 'aria-current="true">Share lapsed</a>' in html
    assert '<input type="hidden" name="map" value="lapsed">' in html  # choosing another month keeps this map
    standing = lapsed_by_district(scope=cilacap["scope"], period=PERIOD)
    whole = participant_standing(scope=cilacap["scope"], period=PERIOD)
    assert sum(figures.lapsed for figures in standing.values()) == whole.lapsed == 3
    assert sum(figures.current for figures in standing.values()) == whole.current == 2


def test_an_unknown_map_asks_for_the_acquisitions(staff, serves_cilacap):
    acquired(serves_cilacap, district=KEDUNGREJA)
    assert tiles(page(staff, map="nonsense"))[KEDUNGREJA] == ("map-step-1", "1")


def test_the_map_is_for_one_branch_and_the_page_says_so_otherwise(client, serves_cilacap):
    acquired(serves_cilacap, district=KEDUNGREJA)
    client.force_login(UserFactory(role=User.Role.ADMIN, branch=None))

    html = page(client)

    assert tiles(html) == {}
    assert "The map shows the kecamatan of one branch: choose a branch to see it." in html
    assert "Kedungreja" in html  # the table is there
    branch = page(client, branch="CLP")
    assert tiles(branch)[KEDUNGREJA] == ("map-step-1", "1")


def test_an_office_scope_has_the_branch_map_with_the_office_figures(staff, serves_cilacap):
    cilacap = serves_cilacap
    acquired(cilacap, district=KEDUNGREJA)
    acquire(cilacap["citra"], MAY, participant=lives_in(cilacap, KROYA))

    found = tiles(page(staff, office=cilacap["north"].code))

    assert len(found) == 24 and found[KEDUNGREJA][1] == "1" and found[KROYA][1] == "0"


def test_a_branch_that_has_not_listed_its_regencies_gets_the_kecamatan_its_workers_live_in(cilacap):
    acquired(cilacap, district=KROYA)
    acquired(cilacap, district=MAOS)

    figures = district_map(scope=cilacap["scope"], period=PERIOD)

    assert [tile.code for tile in figures.tiles] == [KROYA, MAOS]
    assert not figures.area_listed and not figures.outside_area  # no dashed border: there is no area yet
    assert district_map(scope=cilacap["scope"], period=PERIOD, measure=LAPSED).tiles[0].figure == "0.0%"


def test_every_shade_has_text_that_passes_wcag_aa():
    for fill in (NOBODY_ACQUIRED, *ACQUIRED_SHADES, *LAPSED_SHADES):
        assert contrast(fill, ink(fill)) >= 4.5, fill
    assert contrast("#ffffff", "#6c757d") >= 4.5  # the muted figure of a square without participants


@pytest.mark.parametrize(
    ("largest", "width"), [(0, 1), (3, 1), (8, 2), (9, 3), (100, 25), (312, 80), (2336, 600), (40000, 10000)]
)
def test_the_steps_are_round_and_reach_the_largest_figure(largest, width):
    assert nice_width(largest, 4) == width and width * 4 >= largest


@pytest.mark.parametrize(
    ("shares", "start", "width"),
    [
        (["86.2", "95.6"], "85", "2.5"),  # most lapse: the steps spread over the shares there are
        (["19.2", "37.6"], "15", "5"),
        (["0.0", "50.0", "100.0"], "0", "20"),  # at most 20 points a step: 0–19.9% ... 80–100%
        (["99.5", "97.0"], "95", "1"),  # never past 100%, never under a point
    ],
)
def test_the_lapsed_steps_cover_the_shares_in_round_equal_steps(shares, start, width):
    shares = [Decimal(value) for value in shares]
    assert lapsed_steps(shares) == (Decimal(start), Decimal(width))
    assert Decimal(start) <= min(shares) and max(shares) <= min(Decimal(start) + 5 * Decimal(width), 100)


def test_a_branch_s_kecamatan_fill_a_wide_grid_and_three_columns_on_a_phone(serves_cilacap):
    wide, phone = district_map(scope=serves_cilacap["scope"], period=PERIOD).layouts
    assert (wide.columns, wide.rows) == (8, 3)
    assert (phone.columns, phone.rows) == (3, 8)
    assert {(placed.x, placed.y) for placed in wide.tiles} == {
        (2 + column * 118, 2 + row * 118) for column in range(8) for row in range(3)
    }


@pytest.mark.parametrize("count", [4, 60])
@pytest.mark.parametrize("measure", ["", LAPSED])
def test_the_kecamatan_page_with_its_map_takes_a_bounded_number_of_queries(
    staff, serves_cilacap, django_assert_max_num_queries, count, measure
):
    """The map adds the branch's regencies (one query) and, for the share lapsed, its figure (one more);
    the acquisitions are the table's query, read once."""
    add_rows(serves_cilacap, count)
    with django_assert_max_num_queries(REPORT_PAGE_QUERIES) as queries:
        html = page(staff, map=measure)
    assert len(tiles(html)) == 24
    by_district = [query for query in queries.captured_queries if '"enrollment_participant"."district"' in query["sql"]]
    assert len(by_district) == (2 if measure == LAPSED else 1)
    assert sum("agents_brancharea" in query["sql"] for query in queries.captured_queries) == 1
