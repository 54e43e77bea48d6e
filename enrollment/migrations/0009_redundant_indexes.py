"""Two indexes that repeat a unique constraint's leading column, dropped: each payments file writes a hundred
thousand contributions and rows, and every index is written for each.

- ``enrollment_contribution (acquisition_id)``: the unique ``(acquisition_id, period)`` serves it;
- ``enrollment_paymentline (payment_import_id)``: the unique ``(payment_import_id, row)`` serves it.

Dropped by name with its own SQL rather than by ``AlterField``: on SQLite ``AlterField`` rebuilds the
contributions table, which would drop the rollups' triggers on it (``reports`` migrations).
"""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = ("enrollment_contribution_acquisition_id_35633d97", "enrollment_paymentline_payment_import_id_94214b5e")


class Migration(migrations.Migration):
    dependencies = [
        ("enrollment", "0008_phones_in_one_form"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="contribution",
                    name="acquisition",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="contributions",
                        to="enrollment.acquisition",
                        verbose_name="acquisition",
                    ),
                ),
                migrations.AlterField(
                    model_name="paymentline",
                    name="payment_import",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lines",
                        to="enrollment.paymentimport",
                        verbose_name="payments file",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=[f'DROP INDEX IF EXISTS "{name}"' for name in INDEXES],
                    reverse_sql=[
                        'CREATE INDEX "enrollment_contribution_acquisition_id_35633d97"'
                        ' ON "enrollment_contribution" ("acquisition_id")',
                        'CREATE INDEX "enrollment_paymentline_payment_import_id_94214b5e"'
                        ' ON "enrollment_paymentline" ("payment_import_id")',
                    ],
                ),
            ],
        ),
    ]
