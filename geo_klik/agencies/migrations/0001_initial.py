"""Agency (from dispatch) and Membership (from accounts) move here; the database is untouched.

State only: the tables ``dispatch_agency`` and ``accounts_membership`` (made by dispatch 0001 and
accounts 0001), their rows, constraints and foreign keys stay exactly as they are; the models
keep those names through ``db_table``. The apps that held them drop them from their state
afterwards (dispatch 0006, accounts 0003), once every foreign key points here.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("boundaries", "0002_boundary_import"),
        ("dispatch", "0005_console_notify"),
        ("accounts", "0002_role_groups"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Agency",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("code", models.SlugField(max_length=60, unique=True)),
                        ("name_id", models.CharField(max_length=150, verbose_name="nama (Indonesia)")),
                        ("name_en", models.CharField(max_length=150, verbose_name="name (English)")),
                        ("short_name", models.CharField(blank=True, max_length=40)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("command_center", "Command Center"),
                                    ("dinas", "Dinas"),
                                    ("badan", "Badan"),
                                    ("police", "Kepolisian / Police"),
                                    ("kecamatan_office", "Kantor camat / Kecamatan office"),
                                    ("kelurahan_office", "Kantor lurah / Kelurahan office"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("email", models.EmailField(blank=True, max_length=254)),
                        ("phone", models.CharField(blank=True, max_length=30)),
                        (
                            "webhook_url",
                            models.URLField(
                                blank=True,
                                help_text=(
                                    "Optional: new, transferred and escalated reports are "
                                    "POSTed here."
                                ),
                            ),
                        ),
                        (
                            "is_triage",
                            models.BooleanField(
                                default=False,
                                help_text=(
                                    "Receives reports no jurisdiction covers (the Command Center)."
                                ),
                            ),
                        ),
                        ("active", models.BooleanField(default=True)),
                        (
                            "kecamatan",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                to="boundaries.kecamatan",
                            ),
                        ),
                        (
                            "kelurahan",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                to="boundaries.kelurahan",
                            ),
                        ),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="units",
                                to="agencies.agency",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "SKPD / agency",
                        "verbose_name_plural": "SKPD / agencies",
                        "db_table": "dispatch_agency",
                        "ordering": ["code"],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("is_triage", True)),
                                fields=("is_triage",),
                                name="one_triage_agency",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Membership",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "agency",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="memberships",
                                to="agencies.agency",
                            ),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="membership",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "keanggotaan SKPD / agency membership",
                        "verbose_name_plural": "keanggotaan SKPD / agency memberships",
                        "db_table": "accounts_membership",
                    },
                ),
            ],
        ),
    ]
