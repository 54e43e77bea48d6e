"""The house depends one way (docs/design.md, "Layout"), and migrations are history that imports no live code."""

import ast
import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
NOT_PRODUCT = {"tests", "bench"}


def contract():
    parser = configparser.ConfigParser()
    parser.read(ROOT / ".importlinter")
    return parser


def product_packages():
    return {path.parent.name for path in ROOT.glob("*/__init__.py")} - NOT_PRODUCT


def layered_packages():
    layers = contract()["importlinter:contract:layers"]["layers"].split()
    return {name for name in layers if name != "|"}


def lint_imports(tree):
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", ".importlinter", "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_package_of_the_product_has_a_place_in_the_layers():
    assert product_packages() == layered_packages()
    assert set(contract()["importlinter"]["root_packages"].split()) == product_packages()


def test_the_kernel_is_the_lowest_layer_and_the_settings_the_highest():
    layers = [line.strip() for line in contract()["importlinter:contract:layers"]["layers"].strip().splitlines()]

    assert layers[0] == "config"
    assert layers[-1] == "perisai"


@pytest.fixture
def copy_of_the_house(tmp_path):
    for package in product_packages():
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


def test_the_house_as_it_is_keeps_the_contract(copy_of_the_house):
    result = lint_imports(copy_of_the_house)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_import_upwards_inside_a_function_breaks_the_contract(copy_of_the_house):
    months = copy_of_the_house / "perisai" / "months.py"
    months.write_text(months.read_text() + "\n\ndef _sneaky():\n    from web import urls\n\n    return urls\n")

    result = lint_imports(copy_of_the_house)

    assert result.returncode != 0
    assert "perisai.months -> web.urls" in result.stdout


def test_a_domain_importing_the_one_above_it_breaks_the_contract(copy_of_the_house):
    models = copy_of_the_house / "agents" / "models.py"
    models.write_text("from enrollment.models import Acquisition  # noqa\n" + models.read_text())

    result = lint_imports(copy_of_the_house)

    assert result.returncode != 0
    assert "agents.models -> enrollment.models" in result.stdout


def imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


MIGRATIONS = sorted(path for path in ROOT.glob("*/migrations/*.py") if path.name != "__init__.py")
# The kernel's validators are referenced by field definitions, as Django writes them; they only ever grow.
KERNEL_VALIDATORS = {"perisai.nik"}


@pytest.mark.parametrize("migration", MIGRATIONS, ids=lambda path: f"{path.parent.parent.name}/{path.stem}")
def test_a_migration_imports_only_django_the_kernel_validators_and_its_own_frozen_text(migration):
    own_migrations = f"{migration.parent.parent.name}.migrations"
    project = product_packages()

    live = [
        module
        for module in imported_modules(migration)
        if module.split(".")[0] in project
        and module not in KERNEL_VALIDATORS
        and not module.startswith(own_migrations + "._")
    ]

    assert live == []


def test_the_frozen_rollup_sql_is_not_the_live_module():
    frozen = list(ROOT.glob("reports/migrations/_rollups_*.py"))

    assert frozen
    for path in frozen:
        assert not [module for module in imported_modules(path) if module.split(".")[0] in product_packages()]
