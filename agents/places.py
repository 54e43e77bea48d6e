"""Where a worker, an agent or a candidate lives: the kecamatan and desa typed on a page, in an import or
through the API, read as official codes (``perisai.areas``) within the places the person may live in.

One rule for every way in (the services call ``place_resolve``; the pages' type-ahead offers the same
places, ``place_options``):

- the places offered are the districts of the regencies the branch serves (``BranchArea``) and of the
  regency where the person's NIK was issued (someone who moved in keeps a NIK of elsewhere, and a branch
  that has not listed its regencies yet still gets that one);
- a kecamatan left empty is the NIK's own district when that is one of the places offered: the NIK's first
  six digits say where the person was registered, the usual answer, so a phone need not ask;
- a kecamatan is read by name ("Kedung Reja", "Kec. Kedungreja"), by "name, regency" (two regencies of the
  branch can have a district of the same name) or by code; a desa by name or code within that kecamatan;
- what is not a place offered is refused with a message on the field, and nothing is saved.

The names saved beside the codes are the official names, whatever the spelling typed.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agents.models import BranchArea
from perisai import areas


@dataclass(frozen=True)
class Place:
    district: str
    kecamatan: str
    village: str = ""
    desa: str = ""

    def fields(self):
        """The model fields this place sets: codes and names."""
        return {"district": self.district, "kecamatan": self.kecamatan, "village": self.village, "desa": self.desa}


def branch_regencies(branch):
    """The regency codes ``branch`` serves, in code order."""
    return list(BranchArea.objects.filter(branch=branch).order_by("regency").values_list("regency", flat=True))


def _nik_regency(nik):
    """The regency in force of the NIK's district: its own, or the one that took over a retired code."""
    district = areas.area((nik or "")[:6]) if len(nik or "") >= 6 else None
    if district is None:
        return None
    if district.retired and district.successor:
        return district.successor[:4]
    regency = areas.area(district.parent)
    if regency is not None and regency.retired:
        return regency.successor or None
    return district.parent


def place_regencies(regencies, nik=""):
    """The regencies whose districts a person with ``nik`` may live in, for a branch serving ``regencies``."""
    found = set(regencies)
    nik_regency = _nik_regency(nik)
    if nik_regency:
        found.add(nik_regency)
    return sorted(found)


def _regency_names(codes):
    """ "Kabupaten Cilacap, Kabupaten Banyumas" for the regency codes a message names."""
    return ", ".join(found.name for found in map(areas.area, codes) if found) or _("this branch")


def nik_district(nik, regencies):
    """The NIK's district when it is among the districts offered, else ``None`` (retired codes give their
    successor)."""
    district = areas.area((nik or "")[:6]) if len(nik or "") >= 6 else None
    if district is not None and district.retired:
        district = areas.area(district.successor) if district.successor else None
    if district is None or district.parent not in place_regencies(regencies, nik):
        return None
    return district


def place_resolve(*, regencies, nik, kecamatan, desa=""):
    """The ``Place`` typed as ``kecamatan`` and ``desa`` for a person with ``nik`` in a branch serving
    ``regencies``; ``ValidationError`` by field when it is not one of the places offered."""
    offered = place_regencies(regencies, nik)
    kecamatan = (kecamatan or "").strip()
    if not kecamatan:
        district = nik_district(nik, regencies)
        if district is None:
            raise ValidationError({"kecamatan": _("Choose the kecamatan.")}, code="required")
    else:
        district = areas.find_district(kecamatan, offered)
        if district is areas.AMBIGUOUS:
            raise ValidationError(
                {"kecamatan": _("More than one kecamatan is called %(name)s: choose it with its regency.")
                 % {"name": kecamatan}},
                code="ambiguous",
            )  # fmt: skip
        if district is None:
            where = _regency_names(offered)
            raise ValidationError(
                {"kecamatan": _("%(name)s is not a kecamatan of %(where)s. Choose one from the list.")
                 % {"name": kecamatan, "where": where}},
                code="unknown_place",
            )  # fmt: skip
    desa = (desa or "").strip()
    if not desa:
        return Place(district.code, district.name)
    village = areas.find_village(desa, district.code)
    if village is None or village is areas.AMBIGUOUS:
        raise ValidationError(
            {"desa": _("%(name)s is not a desa or kelurahan of %(kecamatan)s. Choose one from the list.")
             % {"name": desa, "kecamatan": district.name}},
            code="unknown_place",
        )  # fmt: skip
    return Place(district.code, district.name, village.code, village.name)


def place_changes(*, branch, fields, stored=None):
    """The place fields (codes and official names) to save for a person of ``branch`` given ``fields`` (the
    NIK, kecamatan and desa among them; what they leave out is ``stored``'s, the person as saved):
    ``place_resolve``'s, or none when ``stored`` already has this kecamatan and desa, so that a place recorded
    before places were codes and not matched then stays as it is until someone chooses it again (changing a
    phone number does not ask for it)."""
    nik, kecamatan, desa = (fields.get(name, getattr(stored, name, "")) for name in ("nik", "kecamatan", "desa"))
    if stored is not None and (kecamatan, desa) == (stored.kecamatan, stored.desa):
        return {}
    return place_resolve(regencies=branch_regencies(branch), nik=nik, kecamatan=kecamatan, desa=desa).fields()


def office_area_resolve(*, branch, area, stored=""):
    """An office's area ("the kecamatan it covers", a list separated by commas) in official names, each a
    kecamatan of the regencies ``branch`` serves; ``ValidationError`` on ``area`` naming the ones that are
    not. An area left as ``stored`` stays as it is (one typed before places were codes)."""
    if area == stored or not (area or "").strip():
        return (area or "").strip()
    regencies = branch_regencies(branch)
    if not regencies:
        raise ValidationError(
            {"area": _("The branch has not listed the regencies it serves yet: a national administrator adds "
                       "them to the branch in Administration.")},
            code="no_area",
        )  # fmt: skip
    names, unknown = [], []
    for typed in (part.strip() for part in area.replace(";", ",").split(",")):
        if not typed:
            continue
        district = areas.find_district(typed, regencies)
        if district is None or district is areas.AMBIGUOUS:
            unknown.append(typed)
        elif district.name not in names:
            names.append(district.name)
    if unknown:
        where = _regency_names(regencies)
        raise ValidationError(
            {"area": _("Not a kecamatan of %(where)s: %(names)s. Separate the kecamatan with commas.")
             % {"where": where, "names": ", ".join(unknown)}},
            code="unknown_place",
        )  # fmt: skip
    return ", ".join(names)


@dataclass(frozen=True)
class PlaceOptions:
    """What a page's type-ahead offers: each district under the name to type (with its regency when two
    districts offered share a name), and the villages of each."""

    districts: list  # [(code, label)]
    villages: list  # [(district code, village code, name)]


def place_options(regencies):
    """The type-ahead's places for a branch serving ``regencies`` (the NIK's own regency is added on the
    server when the form is read, ``place_resolve``)."""
    districts = areas.districts_in(regencies)
    names = [district.name for district in districts]
    labelled = [
        (district.code, areas.district_label(district.code) if names.count(district.name) > 1 else district.name)
        for district in districts
    ]
    villages = [
        (district.code, village.code, village.name)
        for district in districts
        for village in areas.villages_of(district.code)
    ]
    return PlaceOptions(labelled, villages)
