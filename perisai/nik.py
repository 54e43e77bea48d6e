"""The one NIK (Nomor Induk Kependudukan) validator, used by models, forms, the admin and imports.

A NIK has 16 digits: 1-2 province, 3-4 regency/city, 5-6 district (kecamatan), 7-12 birth date as
DDMMYY with 40 added to the day for women, 13-16 a serial number that is never 0000.

Two kinds of finding, as the civil registry's own data demands:
- a *malformed* NIK (length, letters, unknown province, a district that does not exist or never existed
  in Kemendagri's codes (``perisai.areas``), impossible date, serial 0000) is refused:
  ``parse_nik`` / ``validate_nik`` raise ``ValidationError``;
- a well-formed NIK whose encoded birth date or gender disagrees with what was entered is *not*
  refused: a person cannot change their NIK and registry data has such mismatches.
  ``nik_mismatches`` lists them so a form can ask the user to confirm and an import can warn.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perisai import areas

NIK_LENGTH = 16
FEMALE_DAY_OFFSET = 40

# Province codes of the Kementerian Dalam Negeri (Permendagri 58/2021, with the Papua provinces of 2022).
PROVINCE_CODES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
        "21",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "51",
        "52",
        "53",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "72",
        "73",
        "74",
        "75",
        "76",
        "81",
        "82",
        "91",
        "92",
        "93",
        "94",
        "95",
        "96",
    }
)


class Gender(models.TextChoices):
    MALE = "M", gettext_lazy("Male")
    FEMALE = "F", gettext_lazy("Female")


MALE = Gender.MALE
FEMALE = Gender.FEMALE


@dataclass(frozen=True)
class NikInfo:
    """What a well-formed NIK tells about its holder."""

    region_code: str
    birth_date: datetime.date
    gender: str
    serial: str


def _expand_year(two_digits, month, day, today):
    """A NIK holds a two-digit year: the latest century that does not put the birth in the future."""
    year = 2000 + two_digits
    return year if (year, month, day) <= (today.year, today.month, today.day) else year - 100


def parse_nik(value, *, today=None):
    """Return the ``NikInfo`` encoded in ``value`` or raise ``ValidationError`` saying what is wrong."""
    today = today or timezone.localdate()
    nik = (value or "").strip()
    if not nik.isascii() or not nik.isdigit():
        raise ValidationError(_("NIK must contain digits only."), code="nik_not_digits")
    if len(nik) != NIK_LENGTH:
        raise ValidationError(
            _("NIK must be exactly 16 digits; this one has %(count)d.") % {"count": len(nik)},
            code="nik_length",
        )
    province, regency, district = nik[0:2], nik[2:4], nik[4:6]
    if province not in PROVINCE_CODES:
        raise ValidationError(
            _("NIK starts with %(code)s, which is not an Indonesian province code.") % {"code": province},
            code="nik_province",
        )
    if regency == "00" or district == "00":
        raise ValidationError(
            _("NIK digits 3-6 must name a regency and a district (00 is not one)."), code="nik_region"
        )
    if not areas.district_exists(nik[0:6]):
        raise ValidationError(
            _("NIK digits 1-6 (%(code)s) are not a district (kecamatan) in Kemendagri's area codes.")
            % {"code": nik[0:6]},
            code="nik_district",
        )
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    gender = FEMALE if day > FEMALE_DAY_OFFSET else MALE
    if gender == FEMALE:
        day -= FEMALE_DAY_OFFSET
    try:
        birth_date = datetime.date(_expand_year(year, month, day, today), month, day)
    except ValueError:
        raise ValidationError(
            _("NIK digits 7-12 (%(digits)s) are not a possible birth date.") % {"digits": nik[6:12]},
            code="nik_birth_date",
        ) from None
    serial = nik[12:16]
    if serial == "0000":
        raise ValidationError(_("NIK serial number (last 4 digits) cannot be 0000."), code="nik_serial")
    return NikInfo(region_code=nik[0:6], birth_date=birth_date, gender=gender, serial=serial)


def validate_nik(value):
    """Django field validator: refuse a malformed NIK."""
    parse_nik(value)


def nik_mismatches(nik, *, birth_date=None, gender=None):
    """Messages for each way a well-formed NIK disagrees with the birth date and gender entered.

    Returns an empty list when they agree, or when the NIK is malformed (that is ``parse_nik``'s job).
    The century of the NIK is ambiguous, so only day, month and two-digit year are compared.
    """
    try:
        info = parse_nik(nik)
    except ValidationError:
        return []
    found = []
    if birth_date is not None and (
        (info.birth_date.day, info.birth_date.month, info.birth_date.year % 100)
        != (birth_date.day, birth_date.month, birth_date.year % 100)
    ):
        found.append(
            _("The NIK encodes birth date %(nik_date)s but %(entered)s was entered.")
            % {"nik_date": info.birth_date.strftime("%d-%m-%y"), "entered": birth_date.strftime("%d-%m-%Y")}
        )
    if gender and gender != info.gender:
        found.append(
            _("The NIK encodes a woman (day + 40) but a man was entered.")
            if info.gender == FEMALE
            else _("The NIK encodes a man but a woman was entered.")
        )
    return found


def build_nik(region_code, birth_date, gender, serial):
    """The NIK for these parts (demo data and tests build valid NIKs with it)."""
    day = birth_date.day + (FEMALE_DAY_OFFSET if gender == FEMALE else 0)
    return f"{region_code}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"
