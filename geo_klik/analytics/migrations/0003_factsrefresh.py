from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("analytics", "0002_facts_in_time_order")]

    operations = [
        migrations.CreateModel(
            name="FactsRefresh",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("refreshed_at", models.DateTimeField()),
            ],
        ),
    ]
