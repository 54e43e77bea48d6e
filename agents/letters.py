"""The branch's letters: its letterhead and signature, shared by every document it prints, and the letter
of assignment (surat tugas) an active agent carries in the field.

The documents are written in Indonesian literals, not in gettext msgids: they are official documents of
BPJS Ketenagakerjaan, which are written in Indonesian (UU 24/2009, Pasal 27) whatever language the
person who prints them reads the screens in, and their wording is the branch's, not the interface's. A
msgid would only add a way for an untranslated or stale catalogue to put English on an official letter.
The messages that refuse a document are for the staff member at the screen, so they are translatable.

The page itself (kop surat, title, signature, footer) is ``perisai.paper``; this module fills it from the
branch, the agent, the office and its PKS.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from agents.models import Agent
from agents.selectors import current_agreement
from perisai import paper
from perisai.months import add_months

BRANCH_PREFIX = "Kantor Cabang"
ASSIGNMENT_WITHOUT_PKS_MONTHS = 12
"""How long a letter runs when the agent's office has no PKS in force or to come: a year, the longest a
PKS may run under the 2022 terms."""

TASKS = (
    "memberikan edukasi kepada pekerja bukan penerima upah (BPU) tentang program jaminan sosial "
    "ketenagakerjaan: Jaminan Kecelakaan Kerja (JKK), Jaminan Kematian (JKM) dan Jaminan Hari Tua (JHT);",
    "mendaftarkan pekerja BPU sebagai peserta BPJS Ketenagakerjaan;",
    "mendampingi peserta agar membayar iuran secara rutin dan tepat waktu, sehingga perlindungannya tidak terputus.",
)


# --- what every document of the branch shares ------------------------------------------------------


def branch_office_name(branch):
    """``Kantor Cabang Cilacap`` for the branch named ``Cilacap`` (a name that already says it is kept)."""
    name = branch.name.strip()
    if name.casefold().startswith(BRANCH_PREFIX.casefold()):
        return name
    return f"{BRANCH_PREFIX} {name}"


def letterhead(branch):
    """The kop surat of ``branch``: its name, address, city and phone, each left out when empty."""
    return paper.Letterhead(
        office=branch_office_name(branch), address=branch.address, city=branch.city, phone=branch.phone
    )


def branch_signature(branch, *, day):
    """The branch head signing in the branch's city on ``day`` (a dotted line when no head is recorded)."""
    return paper.Signature(
        day=day, place=branch.city, position=f"Kepala {branch_office_name(branch)}", name=branch.head_name
    )


# --- the letter of assignment -----------------------------------------------------------------------


def assignment_letter_number(agent, *, year):
    """``ST/CLP/2022/00012``: the branch, the year of the letter, the agent's row. The same letter printed
    twice in a year has the same number; a letter for the next year gets the next year's."""
    return f"ST/{agent.branch.code}/{year}/{agent.pk:05d}"


def assignment_period(agent, *, issued_on):
    """``(from, until, agreement)``: the letter runs from the day the agent joined to the end of their
    office's PKS (``agents.selectors.current_agreement`` on the letter's date), or, when the office has
    none still running, for a year from the letter's date, so a letter is never out of date the day it
    is printed. ``agreement`` is the PKS it rests on, or ``None``."""
    starts = max(issued_on, agent.joined_on)
    agreement = current_agreement(list(agent.office.agreements.all()), today=issued_on)
    if agreement is not None and agreement.ends_on >= starts:
        return agent.joined_on, agreement.ends_on, agreement
    until = add_months(starts, ASSIGNMENT_WITHOUT_PKS_MONTHS) - datetime.timedelta(days=1)
    return agent.joined_on, until, None


def assignment_letter_pdf(*, agent, issued_on=None):
    """The surat tugas of an active ``agent``, dated ``issued_on`` (today), as PDF bytes.

    It names the agent (name, full NIK, code, office, the area they work) and what they are assigned to
    do, for the period of ``assignment_period``, signed by the branch head. The full NIK is printed on
    purpose: the letter is the agent's credential, checked against their KTP by the worker they visit.
    Refuses (``ValueError``) an agent who is no longer active.
    """
    if agent.status != Agent.Status.ACTIVE:
        raise ValueError(
            _("%(agent)s is no longer an active agent; a letter of assignment is only for active agents.")
            % {"agent": agent.full_name}
        )
    issued_on = issued_on or timezone.localdate()
    branch, office = agent.branch, agent.office
    branch_name = branch_office_name(branch)
    starts, ends, agreement = assignment_period(agent, issued_on=issued_on)
    validity = (
        f"Surat tugas ini berlaku sejak {paper.indonesian_date(starts)} sampai dengan {paper.indonesian_date(ends)}"
    )
    if agreement is not None:
        validity += (
            f", sesuai Perjanjian Kerja Sama (PKS) Nomor {agreement.number} antara BPJS Ketenagakerjaan "
            f"{branch_name} dan {office.name}"
        )
    area = office.area.strip() or ", ".join(part for part in (agent.desa, agent.kecamatan) if part)
    document = paper.Document(
        letterhead=letterhead(branch),
        title="Surat Tugas",
        number=assignment_letter_number(agent, year=issued_on.year),
        subject=f"Surat tugas Agen Perisai {agent.full_name}",
        body=(
            paper.Text(
                f"Yang bertanda tangan di bawah ini, Kepala BPJS Ketenagakerjaan {branch_name}, dengan ini menugaskan:"
            ),
            paper.Fields(
                (
                    ("Nama", agent.full_name),
                    ("NIK", agent.nik),
                    ("Kode agen", agent.code),
                    ("Kantor Perisai", f"{office.name} ({office.code})"),
                    ("Wilayah kerja", area),
                ),
                indented=True,
            ),
            paper.Text(
                (
                    "sebagai ",
                    paper.Bold("Agen Perisai (Penggerak Jaminan Sosial Indonesia)"),
                    f" BPJS Ketenagakerjaan {branch_name}, dengan tugas:",
                )
            ),
            paper.Items(TASKS, indented=True),
            paper.Text(f"{validity}."),
            paper.Text("Selama menjalankan tugas, surat tugas ini dibawa bersama kartu tanda penduduk (KTP)."),
            paper.Text("Demikian surat tugas ini dibuat untuk dilaksanakan dengan penuh tanggung jawab."),
        ),
        signature=branch_signature(branch, day=issued_on),
    )
    return paper.render(document)
