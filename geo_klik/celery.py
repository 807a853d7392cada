"""The Celery application: tasks run on Redis, configured from Django settings (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_klik.settings")

app = Celery("geo_klik")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
