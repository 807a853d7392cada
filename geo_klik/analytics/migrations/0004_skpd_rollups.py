import django.contrib.gis.db.models.fields
import django.db.models.deletion
from django.db import migrations, models

from geo_klik.analytics.migrations import _facts

# The SKPD figures read daily rollups of the fact view (exact counts, and a histogram of the
# durations for the medians and 90th percentiles), refreshed with it; their SQL is in _facts.


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0003_factsrefresh"),
        ("reports", "0002_resident_follow_up"),
    ]

    operations = [
        # The fact view's model (unmanaged: 0001 and 0002 create the view in SQL).
        migrations.CreateModel(
            name="ReportFact",
            fields=[
                (
                    "report",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="reports.report",
                    ),
                ),
                ("created_at", models.DateTimeField()),
                ("status", models.CharField(max_length=20)),
                ("location", django.contrib.gis.db.models.fields.PointField(srid=4326)),
                ("lat", models.FloatField()),
                ("lon", models.FloatField()),
                ("ack_s", models.FloatField(null=True)),
                ("resolve_s", models.FloatField(null=True)),
                ("ack_target_s", models.FloatField()),
                ("resolve_target_s", models.FloatField()),
                ("reopened", models.BooleanField()),
                ("stars", models.SmallIntegerField(null=True)),
            ],
            options={"db_table": "analytics_report_facts", "managed": False},
        ),
        migrations.RunSQL(_facts.create_rollups(), reverse_sql=_facts.drop_rollups()),
    ]
