"""The content types of Agency and Membership follow them to this app.

Permissions (``dispatch.change_agency`` becomes ``agencies.change_agency``, same rows) and admin
log entries point at the content type by id, so renaming its app_label keeps every grant and
every history entry on the right model. A fresh database has no such rows yet: Django creates
the content types after migrating, under the new label.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# (model, label before the move)
MOVED = (("agency", "dispatch"), ("membership", "accounts"))


def relabel(apps: Apps, *, forward: bool) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model, old_label in MOVED:
        source, target = (old_label, "agencies") if forward else ("agencies", old_label)
        # Only when the target is free: were both there (a server started in between made the
        # new one), the old rows stay for `remove_stale_contenttypes` rather than clash.
        if not content_type.objects.filter(app_label=target, model=model).exists():
            content_type.objects.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    relabel(apps, forward=True)


def backwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    relabel(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
