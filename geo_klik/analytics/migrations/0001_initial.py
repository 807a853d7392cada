import django.db.models.deletion
from django.db import migrations, models

from geo_klik.analytics.migrations import _facts


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("reports", "0002_resident_follow_up"),
        ("dispatch", "0004_units_handling_notifications"),
        ("boundaries", "0002_boundary_import"),
    ]

    operations = [
        migrations.CreateModel(
            name="DemoReport",
            fields=[
                (
                    "report",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="reports.report",
                    ),
                ),
                ("batch", models.CharField(blank=True, max_length=40)),
            ],
        ),
        # The view's SQL lives once, in _facts, shared with the migrations that rebuild it.
        migrations.RunSQL(_facts.create(order_by=None), reverse_sql=_facts.drop()),
    ]
