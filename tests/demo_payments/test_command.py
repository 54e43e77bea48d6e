"""``manage.py demo_payments_file`` refuses what it cannot do with a clear message."""

import io

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_without_the_demo_it_says_to_load_it_first(tmp_path):
    with pytest.raises(CommandError, match="load it first"):
        call_command("demo_payments_file", str(tmp_path / "pembayaran.csv"), stdout=io.StringIO())
    assert not (tmp_path / "pembayaran.csv").exists()


def test_it_writes_only_csv_or_xlsx(tmp_path):
    with pytest.raises(CommandError, match=r"must end in \.csv or \.xlsx"):
        call_command("demo_payments_file", str(tmp_path / "pembayaran.txt"), stdout=io.StringIO())


def test_it_refuses_a_folder_that_does_not_exist(tmp_path):
    with pytest.raises(CommandError, match="no such folder"):
        call_command("demo_payments_file", str(tmp_path / "missing" / "pembayaran.csv"), stdout=io.StringIO())
