from django.db import migrations

from geo_klik.analytics.migrations import _facts

# The fact view places sensitive reports (crime) at their public position, the grid cell centre,
# so the public heat and hotspots cannot say more than the public map (see _facts).
ORDER = "r.created_at, r.id"


def rebuild(location: str) -> str:
    return (
        _facts.drop_rollups()
        + _facts.drop()
        + _facts.create(order_by=ORDER, location=location)
        + _facts.create_rollups()
    )


class Migration(migrations.Migration):
    dependencies = [("analytics", "0004_skpd_rollups")]

    operations = [
        migrations.RunSQL(
            rebuild(_facts.PUBLIC_LOCATION), reverse_sql=rebuild(_facts.EXACT_LOCATION)
        ),
    ]
