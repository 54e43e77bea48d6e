"""A payments file's rows keep their participant only where no acquisition names it; the rows' references are
indexed only where they are set.

A national payments file writes a hundred thousand rows, and each reference a row holds costs it an index
entry and a foreign-key check at the commit. A row matched to an acquisition reaches its participant through
it (``PaymentLine.matched_participant``), so the participant is kept only on the rows matched to a participant
and to none of their acquisitions; a check constraint says so. The participant and the contribution are
indexed where they are set (for the deletes that cascade or set null), so the rows that have neither, nearly
every row of a file, are in neither index. The rows' index on ``(payment_import, acquisition, period)``
served nothing (the duplicates' count reads a file's rows by outcome) and goes.

The same for the contributions a file writes: the collector's index holds only the contributions an agent
collected, and the history keeps no index on the collector, the agent credited or the file, which nothing
reads it by (it is read by contribution, and removed by acquisition). The contributions' index is changed
with its own SQL rather than by ``AlterField``: on SQLite ``AlterField`` rebuilds the contributions table,
which would drop the rollups' triggers on it (``reports`` migrations; ``0009_redundant_indexes`` did the same).
"""

import django.db.models.deletion
from django.db import migrations, models

FORWARD = "UPDATE enrollment_paymentline SET participant_id = NULL WHERE acquisition_id IS NOT NULL"
COLLECTOR_INDEX = "enrollment_contribution_collected_by_id_0c6c8bf6"
BACKWARD = (
    "UPDATE enrollment_paymentline SET participant_id = (SELECT a.participant_id FROM enrollment_acquisition a"
    " WHERE a.id = enrollment_paymentline.acquisition_id) WHERE acquisition_id IS NOT NULL"
)


class Migration(migrations.Migration):
    dependencies = [
        ("enrollment", "0014_client_keys"),
    ]

    operations = [
        migrations.AlterField(
            model_name="paymentline",
            name="contribution",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="payment_lines",
                to="enrollment.contribution",
                verbose_name="contribution",
            ),
        ),
        migrations.AlterField(
            model_name="paymentline",
            name="participant",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="enrollment.participant",
                verbose_name="participant",
            ),
        ),
        migrations.RunSQL(FORWARD, BACKWARD, elidable=False),
        migrations.AddIndex(
            model_name="paymentline",
            index=models.Index(
                condition=models.Q(("participant__isnull", False)),
                fields=["participant"],
                name="payment_line_participant",
            ),
        ),
        migrations.AddIndex(
            model_name="paymentline",
            index=models.Index(
                condition=models.Q(("contribution__isnull", False)),
                fields=["contribution"],
                name="payment_line_contribution",
            ),
        ),
        migrations.AddConstraint(
            model_name="paymentline",
            constraint=models.CheckConstraint(
                condition=models.Q(("participant__isnull", True), ("acquisition__isnull", True), _connector="OR"),
                name="payment_line_participant_without_acquisition",
            ),
        ),
        migrations.RemoveIndex(
            model_name="paymentline",
            name="payment_line_month",
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="contribution",
                    name="collected_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="collected_contributions",
                        to="agents.agent",
                        verbose_name="collected by",
                    ),
                ),
                migrations.AddIndex(
                    model_name="contribution",
                    index=models.Index(
                        condition=models.Q(("collected_by__isnull", False)),
                        fields=["collected_by"],
                        name="contribution_collected_by",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=[
                        f'DROP INDEX IF EXISTS "{COLLECTOR_INDEX}"',
                        'CREATE INDEX "contribution_collected_by" ON "enrollment_contribution" ("collected_by_id")'
                        ' WHERE "collected_by_id" IS NOT NULL',
                    ],
                    reverse_sql=[
                        'DROP INDEX IF EXISTS "contribution_collected_by"',
                        f'CREATE INDEX "{COLLECTOR_INDEX}" ON "enrollment_contribution" ("collected_by_id")',
                    ],
                ),
            ],
        ),
        migrations.AlterField(
            model_name="historicalcontribution",
            name="collected_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="agents.agent",
                verbose_name="collected by",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcontribution",
            name="credited_to",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                help_text="The agent looking after the participant when this was paid; their fee counts it.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="agents.agent",
                verbose_name="credited to",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcontribution",
            name="payment_import",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                help_text="The payments file this payment came in, or that confirmed the one the agent recorded.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="enrollment.paymentimport",
                verbose_name="payments file",
            ),
        ),
    ]
