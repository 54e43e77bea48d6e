"""The participants' free-text kecamatan and desa matched to codes (the rule and the data:
``agents/migrations/_places_2026_12_06``, frozen; the branches' regencies were filled by agents 0012)."""

from django.db import migrations

from agents.migrations._places_2026_12_06 import match_rows, report


def forwards(apps, schema_editor):
    regencies = {}
    for branch_id, regency in apps.get_model("agents", "BranchArea").objects.values_list("branch_id", "regency"):
        regencies.setdefault(branch_id, set()).add(regency)
    matched, unmatched = match_rows(apps.get_model("enrollment", "Participant"), regencies)
    if matched or unmatched:
        report("participants", matched, unmatched)


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0012_place_codes_matched"),
        ("enrollment", "0016_place_codes"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
