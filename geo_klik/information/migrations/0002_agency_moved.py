"""Agency moved from dispatch to agencies (state only: same table, same foreign key)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("information", "0001_initial"),
        ("agencies", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="announcement",
                    name="agency",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="The SKPD that issues it, if any.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="announcements",
                        to="agencies.agency",
                    ),
                ),
            ],
        ),
    ]
