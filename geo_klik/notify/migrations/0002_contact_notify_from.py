import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="reportercontact",
            name="notify_from",
            field=models.DateTimeField(default=django.utils.timezone.now),
            preserve_default=False,
        ),
        # Contacts made before the field: told from when they were given, as before.
        migrations.RunSQL(
            "UPDATE notify_reportercontact SET notify_from = created_at",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
