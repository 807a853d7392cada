import django.db.models.deletion
from django.db import migrations, models

# One narrow row per report for the planner figures (see analytics.models.ReportFact).
# Acknowledged = first status event to "acknowledged"; resolved = last status event to
# "resolved" (a reopened report counts from its final resolution); reopened = any status
# event leaving "resolved" back to the queue. Durations are seconds from acceptance.
FACTS_SQL = """
CREATE MATERIALIZED VIEW analytics_report_facts AS
SELECT r.id AS report_id,
       r.created_at,
       r.category_id,
       r.kelurahan_id,
       a.agency_id,
       r.status,
       r.location,
       ST_Y(r.location) AS lat,
       ST_X(r.location) AS lon,
       EXTRACT(EPOCH FROM ev.first_ack - r.created_at)::float8 AS ack_s,
       EXTRACT(EPOCH FROM ev.last_resolved - r.created_at)::float8 AS resolve_s,
       EXTRACT(EPOCH FROM c.ack_target)::float8 AS ack_target_s,
       EXTRACT(EPOCH FROM c.resolve_target)::float8 AS resolve_target_s,
       COALESCE(ev.reopened, false) AS reopened,
       rt.stars::smallint AS stars
FROM reports_report r
JOIN reports_category c ON c.id = r.category_id
LEFT JOIN dispatch_assignment a
       ON a.report_id = r.id AND a.active AND a.role = 'primary'
LEFT JOIN (
    SELECT report_id,
           min(created_at) FILTER (WHERE status_to = 'acknowledged') AS first_ack,
           max(created_at) FILTER (WHERE status_to = 'resolved') AS last_resolved,
           bool_or(status_from = 'resolved' AND status_to IN ('routed', 'received'))
               AS reopened
    FROM reports_reportevent
    WHERE kind = 'status'
    GROUP BY report_id
) ev ON ev.report_id = r.id
LEFT JOIN reports_reportrating rt ON rt.report_id = r.id
WITH NO DATA;
CREATE UNIQUE INDEX analytics_facts_report_idx ON analytics_report_facts (report_id);
CREATE INDEX analytics_facts_created_idx ON analytics_report_facts (created_at);
CREATE INDEX analytics_facts_location_idx ON analytics_report_facts USING gist (location);
REFRESH MATERIALIZED VIEW analytics_report_facts;
"""


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
        migrations.RunSQL(
            FACTS_SQL, reverse_sql="DROP MATERIALIZED VIEW IF EXISTS analytics_report_facts;"
        ),
    ]
