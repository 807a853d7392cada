# btree_gist lets reroute index pieces by (category and role, geometry) in one GiST index, so
# each report probes only the pieces that serve its category (see dispatch/actions/rerouting.py).

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0002_initial"),
    ]

    operations = [BtreeGistExtension()]
