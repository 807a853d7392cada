"""WSGI entry point, served by gunicorn (threaded workers) in `make run` and in docker-compose.

Why WSGI and not ASGI: under uvicorn every synchronous Django request was handed from the event
loop to a new thread and back, and opened a new database connection on it; on this project's
two-core reference machine that hand-off was 60-70 % of the CPU of a simple read (the profile in
docs/performance.md). A gunicorn thread runs the request itself and keeps its connection:
/healthz went from about 2.1 to 0.8 ms of server CPU, report intake from 9.4 to 5.2 ms.

Connections are kept per thread (``DATABASE_CONN_MAX_AGE``, 60 s unless set), which is safe here
because a gunicorn thread lives as long as its worker process; each is health-checked before
reuse, and at most ``WEB_KEPT_CONNECTIONS`` threads of a process keep theirs
(geo_klik/lib/kept_connections.py says why). The console's event stream holds a thread while it
is open (``control/events.py`` serves it from a generator and gives its connection back first),
so a worker has ``WEB_THREADS`` threads (256 unless set). Heavy reads (maps, feeds, exports)
pass a per-process bound first (geo_klik/lib/backpressure.py), which here keeps at most a
quarter of the threads waiting.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_klik.settings")
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")

from django.conf import settings
from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

from geo_klik.lib import backpressure
from geo_klik.lib.kept_connections import KeptConnections

django_application = get_wsgi_application()

# After Django's own receiver (connected when django.db was imported), which closes an expired
# or broken connection first.
kept_connections = KeptConnections(settings.WEB_KEPT_CONNECTIONS)
request_finished.connect(kept_connections.request_finished, dispatch_uid="kept_connections")

application = backpressure.ThreadedHeavyReadLimiter(
    django_application,
    prefixes=settings.HEAVY_READ_PATHS,
    limit=settings.HEAVY_READ_CONCURRENCY,
    max_waiting=min(settings.HEAVY_READ_QUEUE, max(1, settings.WEB_THREADS // 4)),
    wait_s=settings.HEAVY_READ_WAIT_S,
    retry_after_s=settings.HEAVY_READ_RETRY_AFTER_S,
)
