"""The national wording of the reminders, in Indonesian, for branches that have not written their own.

The texts are written here as they were on 5 December 2026 (a migration never reads live code); branches
and administrators change them in the administration afterwards."""

from django.db import migrations

TEMPLATES = {
    "due": (
        "Halo {nama}, ini pengingat iuran BPJS Ketenagakerjaan untuk {bulan} sebesar {jumlah}. Bisa dibayar di "
        "kantor pos, Indomaret atau Alfamart, bank, atau aplikasi JMO dengan menyebut NIK Anda. Terima kasih. "
        "– {agen}, Agen Perisai ({hp_agen})"
    ),
    "late": (
        "Halo {nama}, iuran BPJS Ketenagakerjaan Anda untuk {bulan} ({jumlah}) belum kami terima. Jika sampai akhir "
        "bulan ini belum dibayar, perlindungan kecelakaan kerja dan kematian Anda berhenti. Bayar di kantor pos, "
        "Indomaret atau Alfamart, bank, atau aplikasi JMO dengan NIK Anda. – {agen}, Agen Perisai ({hp_agen})"
    ),
    "lapsed": (
        "Halo {nama}, perlindungan BPJS Ketenagakerjaan Anda berhenti karena iuran sejak {bulan} belum dibayar. "
        "Cukup {jumlah} sebulan untuk aktif lagi; saya bantu caranya. – {agen}, Agen Perisai ({hp_agen})"
    ),
    "agent_list": (
        "Halo {agen}, hari ini {jumlah_peserta} peserta Anda perlu dihubungi agar iurannya tidak berhenti. Buka "
        "daftar tindak lanjut di Perisai. Terima kasih. – Kantor Cabang"
    ),
}


def add_templates(apps, schema_editor):
    template = apps.get_model("followup", "MessageTemplate")
    for purpose, text in TEMPLATES.items():
        template.objects.get_or_create(branch=None, purpose=purpose, defaults={"text": text})


def remove_templates(apps, schema_editor):
    apps.get_model("followup", "MessageTemplate").objects.filter(branch=None, purpose__in=TEMPLATES).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("followup", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_templates, remove_templates),
    ]
