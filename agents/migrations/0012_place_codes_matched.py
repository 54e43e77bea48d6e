"""The agents' free-text kecamatan and desa matched to codes, and each branch's regencies filled from where
its people's NIKs were issued (the rule and the data: ``_places_2026_12_06``, frozen beside this file)."""

from django.db import migrations

from agents.migrations._places_2026_12_06 import branch_regencies, match_rows, report


def forwards(apps, schema_editor):
    BranchArea = apps.get_model("agents", "BranchArea")
    regencies = branch_regencies(apps)
    for branch_id, codes in regencies.items():
        for code in sorted(codes):
            BranchArea.objects.get_or_create(branch_id=branch_id, regency=code)
    matched, unmatched = match_rows(apps.get_model("agents", "Agent"), regencies)
    if matched or unmatched:
        report("agents", matched, unmatched)


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0011_place_codes"),
        ("enrollment", "0016_place_codes"),  # branch_regencies reads the participants' NIKs too
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
