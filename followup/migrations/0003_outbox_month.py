"""The month an outbox message is for, and one reminder a person a month in the schema.

Messages queued before this migration (there should be none: nothing queued them yet) take the month
they were queued in, in the project's time zone."""

from django.db import migrations, models
from django.utils import timezone


def month_from_queued_at(apps, schema_editor):
    message = apps.get_model("followup", "OutboxMessage")
    for row in message.objects.filter(month__isnull=True).only("pk", "created_at"):
        row.month = timezone.localtime(row.created_at).date().replace(day=1)
        row.save(update_fields=["month"])


class Migration(migrations.Migration):

    dependencies = [
        ("agents", "0004_phones_in_one_form"),
        ("enrollment", "0008_phones_in_one_form"),
        ("followup", "0002_national_templates"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="month",
            field=models.DateField(
                null=True,
                help_text="The month the reminder is for (its first day): one reminder a person a month.",
                verbose_name="month",
            ),
        ),
        migrations.RunPython(month_from_queued_at, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="outboxmessage",
            name="month",
            field=models.DateField(
                help_text="The month the reminder is for (its first day): one reminder a person a month.",
                verbose_name="month",
            ),
        ),
        migrations.AddIndex(
            model_name="outboxmessage",
            index=models.Index(fields=["status", "month"], name="outbox_status_month"),
        ),
        migrations.AddConstraint(
            model_name="outboxmessage",
            constraint=models.CheckConstraint(condition=models.Q(("month__day", 1)), name="outbox_month_is_first_day"),
        ),
        migrations.AddConstraint(
            model_name="outboxmessage",
            constraint=models.UniqueConstraint(
                condition=models.Q(("acquisition__isnull", False)),
                fields=("acquisition", "month"),
                name="outbox_one_per_participant_month",
                violation_error_message="This participant already has a reminder for this month.",
            ),
        ),
        migrations.AddConstraint(
            model_name="outboxmessage",
            constraint=models.UniqueConstraint(
                condition=models.Q(("agent__isnull", False)),
                fields=("agent", "month"),
                name="outbox_one_per_agent_month",
                violation_error_message="This agent already has a reminder for this month.",
            ),
        ),
    ]
