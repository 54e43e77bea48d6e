"""Where someone lives is read as official codes, by one rule for every way in (``agents.places``)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from agents.models import BranchArea
from agents.places import place_options, place_regencies, place_resolve
from perisai.nik import MALE, build_nik
from tests.factories import BranchFactory

BORN = datetime.date(1985, 3, 15)
CILACAP_NIK = build_nik("330106", BORN, MALE, 1)  # issued in Kroya, Kabupaten Cilacap
SORONG_NIK = build_nik("920101", BORN, MALE, 1)  # Makbon, Kabupaten Sorong before it became 96.01


def resolve(kecamatan, desa="", *, regencies=("3301",), nik=CILACAP_NIK):
    return place_resolve(regencies=list(regencies), nik=nik, kecamatan=kecamatan, desa=desa)


def refusal(*args, **kwargs):
    with pytest.raises(ValidationError) as refused:
        resolve(*args, **kwargs)
    return {field: messages[0] for field, messages in refused.value.message_dict.items()}


def test_a_kecamatan_and_desa_are_read_by_name_whatever_the_spelling():
    place = resolve("Kec. KROYA", "desa bajing")
    assert place.fields() == {"district": "330106", "kecamatan": "Kroya", "village": "3301062010", "desa": "Bajing"}


def test_a_name_with_or_without_its_space_is_the_same_place():
    assert resolve("Kedung Reja").district == resolve("kedungreja").district == "330101"


def test_a_place_may_be_given_by_its_code():
    assert resolve("33.01.06", "3301062010").fields()["desa"] == "Bajing"


def test_an_empty_kecamatan_is_the_niks_own_district():
    assert resolve("").fields() == {"district": "330106", "kecamatan": "Kroya", "village": "", "desa": ""}


def test_an_empty_kecamatan_without_a_nik_district_offered_asks_for_one(english):
    unknown_district_nik = build_nik("339901", BORN, MALE, 1)  # a district that never existed
    assert refusal("", nik=unknown_district_nik, regencies=()) == {"kecamatan": "Choose the kecamatan."}


def test_a_kecamatan_outside_the_branchs_regencies_and_the_niks_is_refused(english):
    assert refusal("Purwokerto Utara") == {
        "kecamatan": "Purwokerto Utara is not a kecamatan of Kabupaten Cilacap. Choose one from the list."
    }


def test_a_kecamatan_of_the_niks_regency_is_offered_even_outside_the_branchs(english):
    banyumas_nik = build_nik("330201", BORN, MALE, 1)
    assert resolve("Purwokerto Utara", nik=banyumas_nik).district.startswith("3302")


def test_a_desa_of_another_kecamatan_is_refused(english):
    assert refusal("Kroya", "Sidakaya") == {
        "desa": "Sidakaya is not a desa or kelurahan of Kroya. Choose one from the list."
    }


def test_a_name_two_regencies_of_the_branch_share_needs_its_regency(english):
    regencies = ("3303", "3305")  # Purbalingga and Kebumen both have a Karanganyar
    assert "choose it with its regency" in refusal("Karanganyar", regencies=regencies)["kecamatan"]
    assert resolve("Karanganyar, Kabupaten Kebumen", regencies=regencies).district == "330520"


def test_a_retired_nik_district_counts_as_the_regency_that_took_it_over():
    assert "9601" in place_regencies([], SORONG_NIK)
    assert resolve("", nik=SORONG_NIK, regencies=()).district == "960101"


def test_the_suggestions_label_a_shared_name_with_its_regency():
    labels = dict(place_options(["3303", "3305"]).districts)
    assert labels["330311"] == "Karanganyar, Kabupaten Purbalingga"
    assert labels["330301"] == "Kemangkon"


@pytest.mark.django_db
def test_a_branch_serves_regencies_in_force_only():
    area = BranchArea(branch=BranchFactory(), regency="9201")
    with pytest.raises(ValidationError) as refused:
        area.full_clean()
    assert "regency" in refused.value.message_dict
