"""A client key on each enrolment and contribution: the phone's (or a page form's) random UUID for one write,
so a write sent twice is recorded once (``enrollment.client_keys``). Unique where set, by a partial unique
index: the rows without a key (every payments-file row) are not indexed, and adding the column and the
index rebuilds no table on SQLite (a rebuild would drop the triggers other migrations put on these tables).
"""

from django.db import migrations, models

HELP = "The key the agent's phone gave this write, so a retry or a second device records it once."


def key_field():
    return models.UUIDField(blank=True, editable=False, help_text=HELP, null=True, verbose_name="client key")


class Migration(migrations.Migration):

    dependencies = [
        ("enrollment", "0013_target_history"),
    ]

    operations = [
        migrations.AddField(model_name="acquisition", name="client_key", field=key_field()),
        migrations.AddField(model_name="contribution", name="client_key", field=key_field()),
        migrations.AddField(model_name="historicalacquisition", name="client_key", field=key_field()),
        migrations.AddField(model_name="historicalcontribution", name="client_key", field=key_field()),
        migrations.AddConstraint(
            model_name="acquisition",
            constraint=models.UniqueConstraint(
                condition=models.Q(("client_key__isnull", False)),
                fields=("client_key",),
                name="acquisition_client_key_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="contribution",
            constraint=models.UniqueConstraint(
                condition=models.Q(("client_key__isnull", False)),
                fields=("client_key",),
                name="contribution_client_key_unique",
            ),
        ),
    ]
