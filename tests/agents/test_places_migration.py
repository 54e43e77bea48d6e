"""Places recorded as free text before they were codes are matched by agents migration 0012 (agents,
participants, candidates), with the frozen rule and data beside it; what is not matched keeps its text and is
reported."""

import datetime

import pytest
from django.apps import apps

from agents.migrations import _places_2026_12_06 as frozen
from enrollment.models import Participant
from perisai.nik import MALE, build_nik
from tests.factories import BranchFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
BORN = datetime.date(1985, 3, 15)


def legacy(branch, kecamatan, desa="", district="330106"):
    """A participant saved before codes: free text, no codes, a NIK issued in ``district``."""
    return ParticipantFactory(
        branch=branch,
        nik=build_nik(district, BORN, MALE, ParticipantFactory._meta.model.objects.count() + 1),
        kecamatan=kecamatan,
        desa=desa,
        district="",
        village="",
    )


def test_free_text_is_matched_to_codes_and_official_names_or_kept_and_reported(capsys):
    branch = BranchFactory()
    spelled = legacy(branch, "Kec. Kedung reja", "tambak reja")
    desa_unknown = legacy(branch, "kroya", "Bajingan")
    misspelled = legacy(branch, "Kedungrejaa", "Tambakreja")

    matched, unmatched = frozen.match_rows(Participant, {})
    frozen.report("participants", matched, unmatched)

    spelled.refresh_from_db(), desa_unknown.refresh_from_db(), misspelled.refresh_from_db()
    assert (spelled.district, spelled.kecamatan, spelled.village, spelled.desa) == (
        "330101", "Kedungreja", "3301012001", "Tambakreja"
    )  # fmt: skip
    assert (desa_unknown.district, desa_unknown.kecamatan, desa_unknown.village, desa_unknown.desa) == (
        "330106", "Kroya", "", "Bajingan"
    )  # fmt: skip
    assert (misspelled.district, misspelled.kecamatan) == ("", "Kedungrejaa")
    assert matched == 1
    assert sorted(unmatched) == [("Kedungrejaa", "Tambakreja"), ("Kroya", "Bajingan")]
    printed = capsys.readouterr().out
    assert "participants: 1 matched to codes, 2 not" in printed
    assert "'Kedungrejaa' / 'Tambakreja'" in printed


def test_a_name_is_looked_for_in_the_branchs_regencies_too():
    branch = BranchFactory()
    from_banyumas = legacy(branch, "Kroya", district="330201")  # moved in: NIK of Banyumas, lives in Cilacap
    frozen.match_rows(Participant, {branch.pk: {"3301"}})
    from_banyumas.refresh_from_db()
    assert from_banyumas.district == "330106"


def test_a_branch_serves_the_regencies_of_a_tenth_or_more_of_its_peoples_niks():
    branch = BranchFactory()
    for _ in range(9):
        legacy(branch, "Kroya")
    legacy(branch, "Kroya", district="330201")
    assert frozen.branch_regencies(apps)[branch.pk] == {"3301", "3302"}
    legacy(branch, "Kroya")
    assert frozen.branch_regencies(apps)[branch.pk] == {"3301"}
