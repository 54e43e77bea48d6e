"""The free-text kecamatan and desa recorded before places were codes, matched to codes: the agents', the
participants' and the candidates' (their columns came with agents 0011, enrollment 0016, recruitment 0002),
after each branch's regencies were filled from where its people's NIKs were issued. The rule and the data
are frozen beside this file (``_places_2026_12_06``); ``migrate`` prints what it matched and what not."""

from django.db import migrations

from agents.migrations._places_2026_12_06 import branch_regencies, match_rows, report

TABLES = [("agents", "Agent", "agents"), ("enrollment", "Participant", "participants"),
          ("recruitment", "Candidate", "candidates")]  # fmt: skip


def forwards(apps, schema_editor):
    BranchArea = apps.get_model("agents", "BranchArea")
    regencies = branch_regencies(apps)
    for branch_id, codes in regencies.items():
        for code in sorted(codes):
            BranchArea.objects.get_or_create(branch_id=branch_id, regency=code)
    for app, model, label in TABLES:
        matched, unmatched = match_rows(apps.get_model(app, model), regencies)
        if matched or unmatched:
            report(label, matched, unmatched)


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0011_place_codes"),
        ("enrollment", "0016_place_codes"),
        ("recruitment", "0002_place_codes"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
