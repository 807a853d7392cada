"""Django settings for geo_klik, read from environment variables with safe local defaults.

Every variable is documented in README.md ("Configuration"). A malformed value stops
start-up with an error that names the variable. Unset variables fall back to the
values the local stack (`make run` / `make test`) writes to ``var/stack.env``, then to
the defaults below.
"""

from __future__ import annotations

from pathlib import Path

from geo_klik.lib import env as envlib

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
env = envlib.from_os(VAR_DIR / "stack.env")

DEBUG = env.boolean("DEBUG", default=False)
SECRET_KEY = env.string("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env.boolean("GEO_KLIK_REQUIRE_SECRET_KEY", default=False):
        raise envlib.ConfigError("SECRET_KEY", "", "a long random string in production")
    # Local default only: the stack writes a random key to var/stack.env on first run.
    SECRET_KEY = "geo-klik-local-insecure-key-set-SECRET_KEY-in-production"  # noqa: S105
ALLOWED_HOSTS = env.items("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in env.string("CSRF_TRUSTED_ORIGINS", "").split(",") if origin.strip()
]
PORT = env.integer("PORT", 8000, minimum=1, maximum=65535)
# Where the city's official kelurahan layer is looked for (never committed: its licence is the
# city's); GEO_KLIK_BOUNDARY_LAYER picks auto | official | shipped | a file (boundaries/catalog.py).
GEO_KLIK_DATA_DIR = env.directory(
    "GEO_KLIK_DATA_DIR", str(BASE_DIR.parent / "shared" / "data" / "bukittinggi")
)
GEO_KLIK_BOUNDARY_LAYER = env.string("GEO_KLIK_BOUNDARY_LAYER", "auto")
# The kota/kabupaten served, by its Kemendagri code (issue 18): 13.75 by default (with its layer
# rule above), or any other (geo_klik/boundaries/cities.py checks it and names it from the data).
GEO_KLIK_CITY = env.string("GEO_KLIK_CITY", "13.75")
# Indonesia's national boundary layers (not in git); fetch_national_boundaries installs them here.
GEO_KLIK_NATIONAL_DIR = env.directory("GEO_KLIK_NATIONAL_DIR", str(VAR_DIR / "data" / "indonesia"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_gis",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI assets from PyPI, served locally (no CDN)
    "geo_klik.boundaries",
    "geo_klik.agencies",
    "geo_klik.maps",
    "geo_klik.reports",
    "geo_klik.dispatch",
    "geo_klik.notify",
    "geo_klik.alerts",
    "geo_klik.open311",
    "geo_klik.ops",
    "geo_klik.residents",
    "rest_framework.authtoken",  # staff API tokens (a field unit's phone)
    "geo_klik.accounts",
    "geo_klik.control",
    "geo_klik.analytics",
    "geo_klik.field",
    "geo_klik.community",
    "geo_klik.information",
    "geo_klik.business",
    "geo_klik.public_services",
    "geo_klik.search",
]

# Middleware refusals (unstorable text, database down) in the shape of clients that have their
# own: path prefix -> responder(request, status, problem) (see geo_klik.lib.middleware.refusal).
REFUSAL_RESPONDERS = {"/open311/": "geo_klik.open311.refusals.refusal"}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy with a per-request script nonce, and Permissions-Policy.
    "geo_klik.lib.security_headers.SecurityHeadersMiddleware",
    # Outside WhiteNoise: pages, API answers and (in DEBUG, from finders) static files go out
    # gzipped to phones on mobile data; collectstatic's pre-compressed .gz files pass as they are.
    "django.middleware.gzip.GZipMiddleware",
    # Before WhiteNoise and every view: NUL or a lone surrogate anywhere in the path, query,
    # form or JSON body answers a bilingual 400, never a 500 from PostgreSQL.
    "geo_klik.lib.middleware.UnstorableTextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A database outage in any view becomes a JSON 503 (process_exception sees every view's
    # exception wherever it sits). Last on purpose: a sync-only middleware innermost makes
    # Django run the whole chain as sync code in one thread under ASGI. Innermost async-capable
    # middleware (Django's own) would run async, each of their hooks hopping to a thread and
    # back: about twenty thread hand-offs per request, a fifth of intake's time (issue 13).
    "geo_klik.lib.middleware.DatabaseUnavailableMiddleware",
]

# Backpressure on heavy reads (geo_klik/lib/backpressure.py, applied in wsgi.py and asgi.py):
# GET/HEAD under these path prefixes run at most HEAVY_READ_CONCURRENCY at a time per web
# process, up to HEAVY_READ_QUEUE more wait up to HEAVY_READ_WAIT_S (under gunicorn at most a
# quarter of WEB_THREADS wait), the rest get 503 with Retry-After HEAVY_READ_RETRY_AFTER_S.
# Report intake and simple reads are never held back.
HEAVY_READ_PATHS = env.items(
    "HEAVY_READ_PATHS",
    "/api/map/,/peta/,/maps/,/api/boundaries/kelurahan.geojson,/planner/,/transparansi/,"
    "/open311/v2/requests,/api/search/,/cari/",
)
HEAVY_READ_CONCURRENCY = env.integer("HEAVY_READ_CONCURRENCY", 1, minimum=1, maximum=64)
HEAVY_READ_QUEUE = env.integer("HEAVY_READ_QUEUE", 32, minimum=0, maximum=10_000)
HEAVY_READ_WAIT_S = env.number("HEAVY_READ_WAIT_S", 2.0)
HEAVY_READ_RETRY_AFTER_S = env.integer("HEAVY_READ_RETRY_AFTER_S", 2, minimum=1, maximum=3600)
# Threads of each gunicorn worker process (stack/cli.py, docker-compose.yml): an open console's or
# field officer's page holds one for its live event stream, so 2 workers x 256 serve 50 consoles
# and 200 officers' phones (however unevenly they land) with threads to spare for intake and the
# re-reads beside them. An idle thread costs a few tens of kilobytes.
WEB_THREADS = env.integer("WEB_THREADS", 256, minimum=1, maximum=2000)
# Live event streams one web process serves at most (three quarters of its threads): past it a
# new stream is answered 503 and the page falls back to periodic updates.
WEB_STREAMS_PER_PROCESS = env.integer(
    "WEB_STREAMS_PER_PROCESS", max(1, WEB_THREADS * 3 // 4), minimum=0, maximum=2000
)
# Of those threads, at most this many per process keep their database connection between
# requests (geo_klik/lib/kept_connections.py); the others connect per request through PgBouncer.
# So PgBouncer's pool holds WEB_CONCURRENCY x WEB_KEPT_CONNECTIONS kept sessions, not one per
# thread.
WEB_KEPT_CONNECTIONS = env.integer("WEB_KEPT_CONNECTIONS", 24, minimum=0, maximum=1000)

ROOT_URLCONF = "geo_klik.urls"
ASGI_APPLICATION = "geo_klik.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "geo_klik" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "geo_klik.lib.security_headers.nonce",  # {{ csp_nonce }} on inline scripts
                "geo_klik.boundaries.context.city",  # {{ city.name }}, {{ city.short_name }}
            ],
        },
    },
]

DATABASES = {
    "default": env.database("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/geo_klik"),
}
# Connections kept across requests by PgBouncer (session pooling), which `make run` starts beside
# the private PostgreSQL and docker-compose runs as a service: DATABASE_URL names it, and
# DATABASE_DIRECT_URL the server itself for sessions of their own (migrations, LISTEN, the test
# database). The web server (gunicorn's threads, geo_klik/wsgi.py) keeps each thread's connection
# for DATABASE_CONN_MAX_AGE seconds (wsgi.py makes it 60 unless set); everything else (Celery,
# manage.py, tests, uvicorn) connects per request or task (0): under ASGI every request runs its
# sync code on a new thread, so a kept connection would never be reused. Connecting to PgBouncer
# over loopback costs a fraction of a millisecond where a new PostgreSQL backend costs about
# 4 ms; in session mode a client holds one server session throughout, so advisory locks, SET,
# LISTEN and server-side cursors work as on a direct connection, and DISCARD ALL resets the
# session after it. So PgBouncer's pool must hold the web's kept sessions (WEB_CONCURRENCY x
# WEB_KEPT_CONNECTIONS) plus Celery's; stack/pgbouncer.py sizes it so. Not Django's own pool:
# it needs psycopg 3, and psycopg2 is this project's PostgreSQL driver.
DATABASES["default"]["CONN_MAX_AGE"] = env.integer("DATABASE_CONN_MAX_AGE", 0)
# A kept connection is checked before reuse, so one broken by a restart is replaced, not failing.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["TEST"] = {"NAME": env.string("TEST_DATABASE_NAME", "") or None}
# Debian 12 ships GDAL 3.6, which cannot sandbox file/network access of spatial references.
# geo_klik only hands GDAL boundary files an administrator chose, never user uploads.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# GPS error at the city edge: a report this close outside every jurisdiction goes to the nearest.
ROUTING_TOLERANCE_M = env.number("ROUTING_TOLERANCE_M", 100.0)
# Reports still unrouted after this long are queued again by the sweep (lost message, dead
# worker, Redis down at intake).
ROUTING_SWEEP_AFTER_S = env.number("ROUTING_SWEEP_AFTER_S", 30.0, minimum=1.0)

REDIS_URL = env.redis_url("REDIS_URL", "redis://127.0.0.1:6379/0")

# Staff login (geo_klik.accounts): every authentication passes the login guard.
AUTHENTICATION_BACKENDS = ["geo_klik.accounts.backends.RateLimitedModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"  # by role: geo_klik.accounts.views.home
# The login guard (geo_klik/accounts/login_guard.py), counted within LOGIN_LOCKOUT_S seconds:
# failures of one username from one address lock that pair; failures from one address lock
# the address; failures of one username from every address slow it down (one attempt per
# LOGIN_SLOWDOWN_S), never lock it, except from addresses where it logged in lately.
LOGIN_MAX_FAILURES = env.integer("LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_MAX_FAILURES_PER_ADDRESS = env.integer("LOGIN_MAX_FAILURES_PER_ADDRESS", 20, minimum=1)
LOGIN_MAX_FAILURES_PER_USERNAME = env.integer("LOGIN_MAX_FAILURES_PER_USERNAME", 10, minimum=1)
LOGIN_LOCKOUT_S = env.integer("LOGIN_LOCKOUT_S", 900, minimum=1)
LOGIN_SLOWDOWN_S = env.integer("LOGIN_SLOWDOWN_S", 10, minimum=1, maximum=3600)
LOGIN_KNOWN_ADDRESS_DAYS = env.integer("LOGIN_KNOWN_ADDRESS_DAYS", 30, minimum=0, maximum=365)
# Staff API tokens (a field unit's phone) expire this long after the log-in that made them.
STAFF_TOKEN_TTL_HOURS = env.number("STAFF_TOKEN_TTL_HOURS", 12.0, minimum=0.01)

# Agency notifications (geo_klik.dispatch.actions.notifications): email, printed to the console by
# default (development); set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and
# EMAIL_HOST etc. in production.
EMAIL_BACKEND = env.string("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.string("EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("EMAIL_PORT", 25, minimum=1, maximum=65535)
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "klik@bukittinggikota.go.id")
NOTIFICATION_MAX_ATTEMPTS = env.integer("NOTIFICATION_MAX_ATTEMPTS", 6, minimum=1)
NOTIFICATION_WEBHOOK_TIMEOUT_S = env.number("NOTIFICATION_WEBHOOK_TIMEOUT_S", 5.0, minimum=0.1)

# Notifications to reporters (geo_klik.notify): channel name -> class. A channel that is not
# configured (SMS without NOTIFY_SMS_URL) is unavailable and never offered.
NOTIFY_CHANNELS: dict[str, str] = {
    "email": "geo_klik.notify.channels.email.EmailChannel",
    "sms": "geo_klik.notify.channels.sms.SmsGatewayChannel",
    "webpush": "geo_klik.notify.channels.webpush.WebPushChannel",
}
# Absolute links in messages (to /lacak/<code>/) start with this, e.g. https://klik.example.id
NOTIFY_BASE_URL = env.string("NOTIFY_BASE_URL", "http://localhost:8000").rstrip("/")
# Quick changes to one report merge into one message: at most one per report per this window.
NOTIFY_MERGE_WINDOW_S = env.integer("NOTIFY_MERGE_WINDOW_S", 60, minimum=1, maximum=3600)
# Attempts per delivery before it gives up; back-off doubles from NOTIFY_BACKOFF_S (max 1 hour).
NOTIFY_MAX_ATTEMPTS = env.integer("NOTIFY_MAX_ATTEMPTS", 6, minimum=1, maximum=50)
NOTIFY_BACKOFF_S = env.integer("NOTIFY_BACKOFF_S", 30, minimum=1, maximum=3600)
# Personal data (UU No. 27/2022): a report's contact details (the reporter's name, phone, e-mail
# and notification channels) are deleted this many days after the report was closed (closed,
# rejected or merged as a duplicate). The /privasi/ page states it.
NOTIFY_CONTACT_RETENTION_DAYS = env.integer(
    "NOTIFY_CONTACT_RETENTION_DAYS", 90, minimum=1, maximum=3650
)
NOTIFY_EMAIL_TIMEOUT_S = env.number("NOTIFY_EMAIL_TIMEOUT_S", 10.0, minimum=0.1)
# Generic HTTP SMS gateway (notify/channels/sms.py): off unless NOTIFY_SMS_URL is set.
NOTIFY_SMS_URL = env.string("NOTIFY_SMS_URL", "")
NOTIFY_SMS_AUTH = env.string("NOTIFY_SMS_AUTH", "")  # "user:password" (HTTP basic)
NOTIFY_SMS_TOKEN = env.string("NOTIFY_SMS_TOKEN", "")  # bearer token, if no basic auth
NOTIFY_SMS_TEMPLATE = env.string(
    "NOTIFY_SMS_TEMPLATE", '{"to": "{phone}", "message": "{text} {url}"}'
)
NOTIFY_SMS_CONTENT_TYPE = env.string("NOTIFY_SMS_CONTENT_TYPE", "application/json")
NOTIFY_SMS_TIMEOUT_S = env.number("NOTIFY_SMS_TIMEOUT_S", 10.0, minimum=0.1)

# Area alerts (geo_klik/alerts/): the local hour of the daily digest, limits against floods,
# how sending is batched, and how far back the sweep looks for news no receiver saw.
ALERTS_DIGEST_HOUR = env.integer("ALERTS_DIGEST_HOUR", 18, minimum=0, maximum=23)
ALERTS_MAX_SUBSCRIPTIONS = env.integer("ALERTS_MAX_SUBSCRIPTIONS", 20, minimum=1)
ALERTS_MAX_PENDING_PER_EMAIL = env.integer("ALERTS_MAX_PENDING_PER_EMAIL", 3, minimum=1)
ALERTS_SEND_BATCH = env.integer("ALERTS_SEND_BATCH", 500, minimum=1)
ALERTS_SEND_TASKS = env.integer("ALERTS_SEND_TASKS", 4, minimum=1)
ALERTS_SEND_BUDGET_S = env.number("ALERTS_SEND_BUDGET_S", 50.0, minimum=1.0)
ALERTS_LOOKBACK_S = env.integer("ALERTS_LOOKBACK_S", 86400, minimum=60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "geo_klik" / "locale"]
TIME_ZONE = "Asia/Jakarta"  # WIB (UTC+7), the time of Sumatra, Java and West Kalimantan
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.string("STATIC_ROOT", str(VAR_DIR / "static"))


# npm packages (package-lock.json) whose dist/ folder is served under static/vendor/<name>/.
NPM_ASSETS = ("leaflet.markercluster", "leaflet.heat", "leaflet-realtime", "chart.js")
# Single npm files served as static files (geo_klik.lib.staticfiles.NpmFileFinder).
NPM_FILES = {"vendor/ol/ol.js": "ol/dist/ol.js", "vendor/ol/ol.css": "ol/ol.css"}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "geo_klik.lib.staticfiles.NpmFileFinder",
]


def _vendor_dirs() -> list[tuple[str, str]]:
    """Third-party JS/CSS installed at setup (PyPI xstatic, npm), served locally: never a CDN."""
    import xstatic.pkg.jquery
    import xstatic.pkg.leaflet

    dirs = [
        ("vendor/leaflet", xstatic.pkg.leaflet.BASE_DIR),
        ("vendor/jquery", xstatic.pkg.jquery.BASE_DIR),
    ]
    node_modules = BASE_DIR / "node_modules"
    dirs += [(f"vendor/{name}", str(node_modules / name / "dist")) for name in NPM_ASSETS]
    return dirs


STATICFILES_DIRS = _vendor_dirs()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = env.string("MEDIA_ROOT", str(VAR_DIR / "media"))
MEDIA_URL = "/media/"

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Kombu's Redis transport with a workaround: a worker that loses Redis with a task unacknowledged
# crashed in kombu 5.7.0's restore_unacked (see geo_klik/lib/redis_broker.py).
CELERY_BROKER_TRANSPORT = "geo_klik.lib.redis_broker:Transport"
# Fail fast when Redis is down: intake must answer at once and leave the report to the sweep.
# max_retries 0: a publish tries to connect once instead of retrying for the whole connection
# timeout (it waited 2 s per request); the worker's own reconnect loop is not affected (it passes
# broker_connection_max_retries itself).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 300,
    "socket_connect_timeout": 0.5,
    "socket_timeout": 5,
    "max_retries": 0,
}
CELERY_TIMEZONE = TIME_ZONE
# Worker processes keep their PostgreSQL connection across tasks: a new connection per task cost
# as much as the routing itself (6 ms of 12 in process, and a no-op task ran at 80/s). Celery's
# Django fixup closes the connection around every task unless CELERY_DB_REUSE_MAX is set (it then
# closes it every that many tasks); geo_klik.celery applies Django's per-request rule around each
# task instead: a connection that failed, or is older than WORKER_DATABASE_CONN_MAX_AGE seconds,
# is closed, and a kept one is health-checked before its next use (PostgreSQL restarted). A
# prefork child runs one task at a time, so keeping its connection is safe.
CELERY_DB_REUSE_MAX = 1000
WORKER_DATABASE_CONN_MAX_AGE = env.integer("WORKER_DATABASE_CONN_MAX_AGE", 600)

# The live console LISTENs for changes on one session connection per web process; behind a
# pooler (PgBouncer) it bypasses it, so as not to hold a pooled session: the direct URL, when set.
DATABASE_DIRECT: dict[str, object] | None = (
    env.database("DATABASE_DIRECT_URL", "") if env.string("DATABASE_DIRECT_URL", "") else None
)
# Beat sends again, every second, a task it could not send while Redis was down.
CELERY_BEAT_SCHEDULER = "geo_klik.celery:RetryingScheduler"
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "heartbeat": {"task": "geo_klik.ops.tasks.record_heartbeat", "schedule": 60.0},
    "sweep-unrouted-reports": {
        "task": "geo_klik.dispatch.tasks.sweep_unrouted_reports",
        "schedule": 10.0,
    },
    "check-sla": {"task": "geo_klik.dispatch.tasks.check_sla", "schedule": 60.0},
    # Notifications left pending (made while Redis was down, or a retry lost) are queued again.
    "resend-pending-notifications": {
        "task": "geo_klik.dispatch.tasks.resend_pending_notifications",
        "schedule": 60.0,
    },
    # Reporter notifications the broker lost (Redis down when queued): sealed and sent.
    "notify-sweep": {"task": "geo_klik.notify.tasks.sweep", "schedule": 30.0},
    # Outgoing Open311: reports no worker is sending are queued again; SKPDs' updates pulled.
    "open311-sweep-outgoing": {"task": "geo_klik.open311.tasks.sweep_outgoing", "schedule": 60.0},
    "open311-pull-updates": {"task": "geo_klik.open311.tasks.pull_updates", "schedule": 300.0},
    # Residents' "is it fixed?": resolved reports nobody answered "is it fixed?" for 14 days are
    # closed; contact details are deleted NOTIFY_CONTACT_RETENTION_DAYS after a report closed.
    "close-unanswered-reports": {
        "task": "geo_klik.reports.tasks.close_unanswered",
        "schedule": 3600.0,
    },
    "forget-expired-contacts": {
        "task": "geo_klik.notify.tasks.forget_expired_contacts",
        "schedule": 3600.0,
    },
    # Area alerts: news the broker lost (Redis down), and the daily digests (idempotent).
    "alerts-sweep": {"task": "geo_klik.alerts.tasks.sweep", "schedule": 30.0},
    "alerts-digests": {"task": "geo_klik.alerts.tasks.collect_digests", "schedule": 600.0},
    # The planners' figures read a materialized view; rebuilt every 5 minutes.
    "refresh-analytics-facts": {
        "task": "geo_klik.analytics.tasks.refresh_facts",
        "schedule": 300.0,
    },
    # Field units: positions older than 30 days deleted; officers' dispatch pushes the broker
    # lost (Redis down when the dispatch committed) sent.
    "delete-old-unit-positions": {
        "task": "geo_klik.dispatch.tasks.delete_old_positions",
        "schedule": 3600.0,
    },
    "field-sweep-dispatch-alerts": {
        "task": "geo_klik.field.tasks.sweep_alerts",
        "schedule": 30.0,
    },
}

# Seconds a client is told to wait (Retry-After) while PostgreSQL is unreachable.
SERVICE_UNAVAILABLE_RETRY_AFTER_S = env.integer("SERVICE_UNAVAILABLE_RETRY_AFTER_S", 30, minimum=1)

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "geo_klik.lib.parsers.SafeJSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "geo_klik.lib.errors.exception_handler",
    # Proxies in front of the app whose X-Forwarded-For is trusted for the client address
    # (rate limits); 0 means REMOTE_ADDR, so a client cannot forge its address.
    "NUM_PROXIES": env.integer("TRUSTED_PROXIES", 0, maximum=10),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "geo_klik API",
    "DESCRIPTION": (
        "KLIK incident reports of the kota/kabupaten served (GEO_KLIK_CITY): intake, public "
        "tracking, categories, agencies (SKPD) and their jurisdictions. Errors: "
        '{"errors": [{"field", "code", "message" (Bahasa Indonesia), "message_en"}]}.'
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the drf-spectacular-sidecar package's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Schema-quality warnings belong to `manage.py spectacular --validate`, not to the
    # deployment check, which must be clean for a production environment.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}


# Who answers for the Open311 API (its discovery document shows it); empty: the Command Center
# (Diskominfo) of the city served, named from its boundaries (open311/documents.py).
OPEN311_CONTACT = env.string("OPEN311_CONTACT", "")


# Outgoing Open311 (an SKPD's own GeoReport v2 server): attempts before a report is marked
# failed (back-off 15 s doubling, at most 30 min), and the time one call may take.
OPEN311_OUTGOING_MAX_ATTEMPTS = env.integer("OPEN311_OUTGOING_MAX_ATTEMPTS", 8, minimum=1)
OPEN311_OUTGOING_TIMEOUT_S = env.number("OPEN311_OUTGOING_TIMEOUT_S", 10.0, minimum=0.1)


def _rate(name: str, default: str) -> str:
    """A DRF rate such as "30/hour" (per second, minute, hour or day); "" or "off" disables."""
    value = env.string(name, default).strip().lower()
    if value in {"", "off", "0"}:
        return ""
    number, _, period = value.partition("/")
    if not number.isdigit() or int(number) < 1 or period[:1] not in {"s", "m", "h", "d"}:
        raise envlib.ConfigError(name, value, 'a rate such as "30/hour", or "off"')
    return value


# Anonymous report intake per client address. Counted in Redis (the "ratelimit" cache);
# if Redis is down the limit fails open (reports are accepted, a warning is logged).
# REPORTS_RATE_LIMIT counts the requests that carry no device id (X-Device-Id).
REPORTS_RATE_LIMIT = _rate("REPORTS_RATE_LIMIT", "30/hour")
# Per device (the random id the report page keeps), and a much higher ceiling per address
# over every request: carrier-grade NAT puts a neighbourhood's phones behind one address.
REPORTS_RATE_LIMIT_PER_DEVICE = _rate("REPORTS_RATE_LIMIT_PER_DEVICE", "30/hour")
REPORTS_RATE_LIMIT_PER_ADDRESS = _rate("REPORTS_RATE_LIMIT_PER_ADDRESS", "600/hour")

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "geo_klik.lib.redis_cache.PooledRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "geo_klik.ratelimit",
        # Fail fast: a slow or dead Redis must not hold up intake (the limit fails open).
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    },
    # The planners' figures, one copy per fact-view refresh shared by every web worker and by
    # the Celery worker that pre-computes the default views after each refresh. If Redis is
    # down the figures are computed on each request instead.
    "analytics": {
        "BACKEND": "geo_klik.lib.redis_cache.PooledRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "geo_klik.analytics",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 2.0},
    },
}

# The public map feed's answers, per web process (geo_klik.maps.report_feed): in memory, not
# Redis, so a map surge costs no network round trip and keeps working while Redis is down.
CACHES["map_feed"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "map-feed",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

# A report's public view per web process, keyed by its version (geo_klik.dispatch.api.public_view):
# a tracking page polled by many is read once per change.
CACHES["public_report"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "public-report",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

# Reverse geocoding of report addresses (geopy, in a Celery task); off by default. Either a
# geopy service name ("nominatim", "photon", ...) or the dotted path of a geocoder class.
GEOCODER = env.string("GEOCODER", "").strip()
GEOCODER_USER_AGENT = env.string("GEOCODER_USER_AGENT", "geo_klik (KLIK)")
GEOCODER_DOMAIN = env.string("GEOCODER_DOMAIN", "").strip()  # e.g. a self-hosted Nominatim
GEOCODER_API_KEY = env.string("GEOCODER_API_KEY", "").strip()
GEOCODER_TIMEOUT_S = env.number("GEOCODER_TIMEOUT_S", 5.0, minimum=0.1)

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.choice("LOG_LEVEL", "INFO", LOG_LEVELS)},
}

SECURE_CONTENT_TYPE_NOSNIFF = True
# No page is framed, not even by us: maps are embedded without an iframe (maps/assets.embed).
X_FRAME_OPTIONS = "DENY"

# HTTPS deployments. `make run` serves plain HTTP on 127.0.0.1, where Secure cookies, HSTS and
# a redirect to https:// would break logging in, so one switch, GEO_KLIK_HTTPS=1, turns them
# all on for production; each stays adjustable on its own variable.
HTTPS = env.boolean("GEO_KLIK_HTTPS", default=False)
SESSION_COOKIE_SECURE = env.boolean("SESSION_COOKIE_SECURE", default=HTTPS)
CSRF_COOKIE_SECURE = env.boolean("CSRF_COOKIE_SECURE", default=HTTPS)
SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", default=HTTPS)
# The containers' health check calls http://127.0.0.1:8000/healthz from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.integer(
    "SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0, maximum=63_072_000
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.boolean("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env.boolean("SECURE_HSTS_PRELOAD", default=False)
# Behind a TLS-terminating proxy: which header says the client used https. Trusted only from
# the TRUSTED_PROXIES in front (the proxy must set it, overwriting the client's).
_PROXY_SSL_HEADER = env.string(
    "SECURE_PROXY_SSL_HEADER",
    "X-Forwarded-Proto" if REST_FRAMEWORK["NUM_PROXIES"] else "",
).strip()
if _PROXY_SSL_HEADER:
    if not _PROXY_SSL_HEADER.replace("-", "").isalnum():
        raise envlib.ConfigError("SECURE_PROXY_SSL_HEADER", _PROXY_SSL_HEADER, "a header name")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
# The origin only on links out (OpenStreetMap's tile policy asks for a Referer), nothing
# beyond the origin (tracking codes are in our URLs).
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Content-Security-Policy (geo_klik/lib/security_headers.py): enforce, report-only or off.
CSP_MODE = env.string("CSP_MODE", "enforce").strip().lower()
if CSP_MODE not in {"enforce", "report-only", "off"}:
    raise envlib.ConfigError("CSP_MODE", CSP_MODE, "enforce, report-only or off")
# Where map tiles (images) may come from besides the app itself.
CSP_IMG_ORIGINS = env.string("CSP_IMG_ORIGINS", "https://tile.openstreetmap.org").split()

# Web Push to residents (geo_klik.notify.channels.webpush). The server's VAPID key pair is
# created on first use in NOTIFY_VAPID_DIR (file mode 0600) and kept there: every web and
# worker process must see the same directory (docker-compose: the `vapid` volume), and a new key
# pair silently orphans every subscription made with the old one.
NOTIFY_VAPID_DIR = env.directory("NOTIFY_VAPID_DIR", str(VAR_DIR / "vapid"))
# The contact push services may use to reach the operator (the VAPID "sub" claim).
NOTIFY_VAPID_SUBJECT = env.string("NOTIFY_VAPID_SUBJECT", "mailto:" + DEFAULT_FROM_EMAIL)
# A push endpoint is a request this server makes: only https to public hosts, unless this
# allows loopback endpoints (tests and development, with a local push receiver).
NOTIFY_PUSH_ALLOW_LOOPBACK = env.boolean("NOTIFY_PUSH_ALLOW_LOOPBACK", default=False)
NOTIFY_PUSH_TIMEOUT_S = env.number("NOTIFY_PUSH_TIMEOUT_S", 10.0, minimum=0.1)
# How long a push service keeps a message for a phone that is off (the TTL header).
NOTIFY_PUSH_TTL_S = env.integer("NOTIFY_PUSH_TTL_S", 4 * 24 * 3600, maximum=28 * 24 * 3600)
