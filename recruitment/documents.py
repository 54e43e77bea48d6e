"""The certificate of a pembekalan (sertifikat pembekalan): what a candidate who passed takes home.

Written in Indonesian literals, like the branch's letters (``agents.letters``, which says why): it is an
official document of BPJS Ketenagakerjaan, the same for everyone who prints it. The message that refuses
a certificate is for the staff member at the screen, so it is translatable.

What it shows, and what not:
- the candidate's full name and birth date (the candidate's record has no birth place);
- the NIK **masked** (``3301••••••••0001``, ``perisai.privacy.mask_nik``): the certificate is the
  candidate's to keep and to show to others (the office that takes them on, a future employer), and the
  full NIK adds nothing to prove it is theirs that the name, the number and the branch's records do not;
- the session: date (and time), place, trainer, what was taught; the score and the pass mark;
- a number unique to the seat and the same every time it is printed (``certificate_number``);
- the branch head's signature, dated the day of the session.
"""

from django.utils.translation import gettext as _

from agents.letters import branch_office_name, branch_signature, letterhead
from perisai import paper
from perisai.privacy import mask_nik

MATERIALS_AS_LIST = 10
"""Up to this many topics are a numbered list; more run on in one paragraph, so the page keeps its size."""


def certificate_number(seat):
    """``SERT/CLP/2022/00012``: the branch, the year of the session, the seat. One seat, one number."""
    session = seat.session
    return f"SERT/{session.branch.code}/{session.held_on.year}/{seat.pk:05d}"


def _materials(text):
    return [line.strip(" \t-•*") for line in text.splitlines() if line.strip(" \t-•*")]


def certificate_pdf(*, seat):
    """The certificate of ``seat``'s candidate for ``seat``'s session, as PDF bytes.

    Refuses (``ValueError``) a seat without a passing result: not yet tested, absent, or failed.
    """
    if seat.passed is False:
        raise ValueError(
            _("%(candidate)s did not pass this training session; only those who passed get a certificate.")
            % {"candidate": seat.candidate.full_name}
        )
    if seat.passed is not True:
        raise ValueError(
            _("%(candidate)s has no test result from this training session; only those who passed get a certificate.")
            % {"candidate": seat.candidate.full_name}
        )
    session, candidate = seat.session, seat.candidate
    branch = session.branch
    branch_name = branch_office_name(branch)
    held = paper.indonesian_date(session.held_on, weekday=True)
    if session.starts_at is not None:
        held = f"{held}, pukul {session.starts_at:%H.%M}"
    materials = _materials(session.materials)
    if len(materials) <= MATERIALS_AS_LIST:
        taught = (paper.Items(tuple(materials), indented=True),) if materials else ()
    else:
        taught = (paper.Text("; ".join(materials) + "."),)
    document = paper.Document(
        letterhead=letterhead(branch),
        title="Sertifikat Pembekalan",
        number=certificate_number(seat),
        subject=f"Sertifikat pembekalan calon Agen Perisai {candidate.full_name}",
        body=(
            paper.Text("Diberikan kepada:", centred=True),
            paper.Text(candidate.full_name, centred=True, bold=True, size=1.6, space_after=4),
            paper.Text(
                f"NIK {mask_nik(candidate.nik)} \u00b7 lahir {paper.indonesian_date(candidate.birth_date)}",
                centred=True,
                space_after=12,
            ),
            paper.Text(
                (
                    "yang telah mengikuti ",
                    paper.Bold("Pembekalan Calon Agen Perisai (Penggerak Jaminan Sosial Indonesia)"),
                    f" yang diselenggarakan oleh BPJS Ketenagakerjaan {branch_name}, dan dinyatakan ",
                    paper.Bold("LULUS"),
                    ".",
                )
            ),
            paper.Fields(
                (
                    ("Hari, tanggal", held),
                    ("Tempat", session.place),
                    ("Pemateri", session.trainer),
                    ("Nilai ujian", f"{seat.score} (batas lulus {session.pass_mark})"),
                ),
                indented=True,
            ),
            *((paper.Text("dengan materi pembekalan:"), *taught) if materials else ()),
            paper.Text(
                "Sertifikat ini diberikan sebagai bukti bahwa yang bersangkutan telah lulus pembekalan calon "
                "Agen Perisai BPJS Ketenagakerjaan."
            ),
        ),
        signature=branch_signature(branch, day=session.held_on),
    )
    return paper.render(document)
