"""Where a person lives, as model fields: the district (kecamatan) and village (desa/kelurahan) codes beside
the names, kept right by the schema. One definition for every model that records a place (agents,
participants).

The code is what reports group and count by; the name beside it (``kecamatan``, ``desa``) is the official
name the code had when it was chosen, printed as it is on letters and lists. A row whose free-text place
could not be matched to a code when codes came in keeps its text and an empty code until someone chooses
the place again (the services refuse a place that is not a code).
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


def district_field():
    return models.CharField(_("kecamatan code"), max_length=6, blank=True)


def village_field():
    return models.CharField(_("desa/kelurahan code"), max_length=10, blank=True)


def place_constraints(prefix):
    """A district code is empty or six digits; a village code is empty, or ten digits under its district."""
    return [
        models.CheckConstraint(
            condition=Q(district="") | Q(district__regex=r"^[0-9]{6}$"),
            name=f"{prefix}_district_code_digits",
            violation_error_message=_("A kecamatan code has six digits."),
        ),
        models.CheckConstraint(
            condition=Q(village="") | (Q(village__regex=r"^[0-9]{10}$") & Q(village__startswith=F("district"))),
            name=f"{prefix}_village_in_district",
            violation_error_message=_("A desa/kelurahan code has ten digits and lies in its kecamatan."),
        ),
    ]
