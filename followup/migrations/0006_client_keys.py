"""A client key on each contact logged (``enrollment.client_keys``): unique where set, by a partial unique
index, which rebuilds no table on SQLite."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("followup", "0005_text_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="contactattempt",
            name="client_key",
            field=models.UUIDField(
                blank=True,
                editable=False,
                help_text="The key the agent's phone gave this write, so a retry or a second device records it once.",
                null=True,
                verbose_name="client key",
            ),
        ),
        migrations.AddConstraint(
            model_name="contactattempt",
            constraint=models.UniqueConstraint(
                condition=models.Q(("client_key__isnull", False)),
                fields=("client_key",),
                name="contact_client_key_unique",
            ),
        ),
    ]
