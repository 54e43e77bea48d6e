"""The Indonesian catalogue is complete, compiled, and what users see by default; English is one cookie away.

The UI is Indonesian first (LANGUAGE_CODE "id"): a msgid left untranslated or fuzzy shows English in the
middle of an Indonesian page, and a .mo compiled before the last .po edit shows yesterday's wording, so
both fail here rather than in front of a branch office.
"""

import datetime
import gettext
import re
import shutil
import subprocess

import polib
import pytest
from django.conf import settings
from django.utils import translation

from agents.models import User
from reports.catalogue import REPORTS
from tests.factories import AcquisitionFactory, AgentFactory, UserFactory

LOCALE = settings.BASE_DIR / "locale" / "id" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(PO))


def _label(entry):
    return f"{PO.name}:{entry.linenum} {entry.msgid!r}"


def test_the_catalogue_declares_indonesian_with_one_plural_form(catalogue):
    assert catalogue.metadata["Language"] == "id"
    assert catalogue.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    assert not catalogue.metadata_is_fuzzy


def test_every_message_is_translated_and_none_is_fuzzy(catalogue):
    untranslated = [_label(entry) for entry in catalogue.untranslated_entries()]
    fuzzy = [_label(entry) for entry in catalogue.fuzzy_entries()]
    obsolete = [_label(entry) for entry in catalogue.obsolete_entries()]
    assert not untranslated, "untranslated:\n" + "\n".join(untranslated)
    assert not fuzzy, "fuzzy:\n" + "\n".join(fuzzy)
    assert not obsolete, "obsolete (run makemessages with --no-obsolete):\n" + "\n".join(obsolete)


def test_translations_keep_the_placeholders(catalogue):
    """A lost %(name)s drops a figure from the sentence; an extra one raises KeyError when rendered."""
    wrong = []
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            allowed = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural))
            for translation in entry.msgstr_plural.values():
                if not set(PLACEHOLDER.findall(translation)) <= allowed:
                    wrong.append(_label(entry))
        elif sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr)):
            wrong.append(_label(entry))
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_the_committed_mo_holds_every_translation_of_the_po(catalogue):
    """The .mo Django loads answers every msgid with the .po's msgstr: it was compiled after the last edit."""
    with MO.open("rb") as compiled:
        mo = gettext.GNUTranslations(compiled)
    stale = []
    for entry in catalogue.translated_entries():
        context = f"{entry.msgctxt}\x04" if entry.msgctxt else ""
        if entry.msgid_plural:
            for n in (1, 2, 5):
                if mo.ngettext(context + entry.msgid, context + entry.msgid_plural, n) != entry.msgstr_plural[0]:
                    stale.append(_label(entry))
                    break
        elif mo.gettext(context + entry.msgid) != entry.msgstr:
            stale.append(_label(entry))
    assert not stale, "compile the messages again (python manage.py compilemessages):\n" + "\n".join(stale)


def test_the_po_passes_gettexts_own_checks(tmp_path):
    """msgfmt --check: format strings agree between msgid and msgstr, and the header is well formed."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt is not installed (apt-get install gettext); the .mo comparison above still ran")
    result = subprocess.run(
        [msgfmt, "--check", "-o", str(tmp_path / "django.mo"), str(PO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_report_titles_fit_an_excel_sheet_name_in_indonesian():
    """Each report is a sheet of the evaluation workbook, named by its title, and a sheet name holds 31 characters:
    a longer translation would be cut mid-word."""
    with translation.override("id"):
        too_long = [str(report.title) for report in REPORTS.values() if len(str(report.title)) > 31]
    assert not too_long


def test_the_login_page_is_indonesian_by_default(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert '<html lang="id">' in response.text
    assert "Masuk ke Perisai" in response.text
    assert "Nama pengguna" in response.text
    assert "Sign in" not in response.text


def test_the_login_page_is_english_when_the_user_chose_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/accounts/login/")
    assert '<html lang="en">' in response.text
    assert "Sign in to Perisai" in response.text
    assert "Masuk ke Perisai" not in response.text


@pytest.fixture
def staff_client(client, agent, rate):
    AcquisitionFactory(agent=agent, acquired_on=datetime.date(2022, 3, 15))
    client.force_login(UserFactory(role=User.Role.STAFF, branch=agent.branch))
    return client


def test_the_dashboard_is_indonesian_by_default(staff_client):
    page = staff_client.get("/").text
    for heading in ("Dasbor", "Akuisisi per bulan: 2022 dibandingkan 2021", "Per Kantor Perisai", "Agen teratas"):
        assert heading in page
    assert "Maret 2022" in page
    assert "Top agents" not in page


def test_the_dashboard_is_english_with_the_language_cookie(staff_client):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = staff_client.get("/").text
    for heading in ("Dashboard", "Acquisitions by month: 2022 against 2021", "By Perisai office", "Top agents"):
        assert heading in page
    assert "March 2022" in page
    assert "Agen teratas" not in page


def test_an_agents_home_is_indonesian(client, office):
    user = UserFactory(role=User.Role.AGENT, branch=office.branch)
    AgentFactory(branch=office.branch, office=office, user=user)
    client.force_login(user)
    page = client.get("/", follow=True).text
    for words in ("Daftarkan peserta", "Peserta saya", "Kinerja saya", "Keluar"):
        assert words in page
