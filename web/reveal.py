"""The answer to "Show NIK", shared by the pages that offer it (a participant's, an agent's, the agent's
own participant's): with htmx, the full NIK in place of the masked one; without JavaScript, a small page
with it and a link back. The view has already recorded the disclosure (``nik_disclosure_record``)."""

from django.shortcuts import render

from perisai.privacy import subject_kind


def nik_revealed(request, subject, disclosure, *, back):
    context = {"subject": subject, "kind": subject_kind(subject), "disclosure": disclosure, "back": back}
    if request.headers.get("HX-Request") == "true":
        return render(request, "privacy/_nik_revealed.html", context)
    return render(request, "enrollment/personal_data/nik_revealed.html", context)
