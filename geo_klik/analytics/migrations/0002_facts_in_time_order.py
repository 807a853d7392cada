from django.db import migrations

from geo_klik.analytics.migrations import _facts

# The fact view is written in acceptance order, so a period is a contiguous range of its
# pages and PostgreSQL reads a 30-day window through the created_at index, not the whole view.


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_initial")]

    operations = [
        migrations.RunSQL(
            _facts.drop() + _facts.create(order_by="r.created_at, r.id"),
            reverse_sql=_facts.drop() + _facts.create(order_by=None),
        ),
    ]
