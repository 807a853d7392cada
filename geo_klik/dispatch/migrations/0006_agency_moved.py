"""Agency moved to ``agencies`` (state only: the table ``dispatch_agency`` stays as it is).

Every foreign key to it, here and in the other apps, points at ``agencies.Agency`` first; then
the model leaves this app's state.
"""

import django.db.models.deletion
from django.db import migrations, models


def agency_fk(**options: object) -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(to="agencies.agency", **options)  # type: ignore[arg-type]


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0005_console_notify"),
        ("agencies", "0001_initial"),
        # Every other foreign key to the old state model is moved before it goes.
        ("accounts", "0003_membership_to_agencies"),
        ("analytics", "0006_agency_moved"),
        ("information", "0002_agency_moved"),
        ("reports", "0006_agency_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="jurisdiction",
                    name="agency",
                    field=agency_fk(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="jurisdictions",
                    ),
                ),
                migrations.AlterField(
                    model_name="assignment",
                    name="agency",
                    field=agency_fk(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assignments",
                    ),
                ),
                migrations.AlterField(
                    model_name="handling",
                    name="claimed_agency",
                    field=agency_fk(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                    ),
                ),
                migrations.AlterField(
                    model_name="unit",
                    name="agency",
                    field=agency_fk(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="field_units",
                    ),
                ),
                migrations.AlterField(
                    model_name="notification",
                    name="agency",
                    field=agency_fk(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                    ),
                ),
                migrations.DeleteModel(name="Agency"),
            ],
        ),
    ]
