"""ASGI entry point, served by uvicorn in `make run` and in docker-compose.

Database connections are pooled outside the process, by PgBouncer (settings.py says why).
Heavy reads (maps, feeds, exports) pass a per-process concurrency bound before Django runs
(geo_klik/lib/backpressure.py), so they never take the threads and CPU report intake needs.
"""

import os

from django.conf import settings
from django.core.asgi import get_asgi_application

from geo_klik.lib import backpressure

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_klik.settings")

django_application = get_asgi_application()

application = backpressure.HeavyReadLimiter(
    django_application,
    prefixes=settings.HEAVY_READ_PATHS,
    limit=settings.HEAVY_READ_CONCURRENCY,
    max_waiting=settings.HEAVY_READ_QUEUE,
    wait_s=settings.HEAVY_READ_WAIT_S,
    retry_after_s=settings.HEAVY_READ_RETRY_AFTER_S,
)
