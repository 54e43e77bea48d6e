"""The demo branch prints its certificates and letters of assignment under a full letterhead."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_branch_has_its_address_city_phone_and_head_for_the_letterhead(demo):
    demo.full_clean()  # the phone is one the model accepts
    assert demo.city == "Cilacap"
    assert demo.city in demo.address
    assert demo.phone.startswith("0282")  # Cilacap's area code
    name, _comma, titles = demo.head_name.partition(", ")
    assert name and titles  # a name with its academic titles, as a letter is signed
