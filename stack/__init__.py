"""The local stack behind `make run` and `make test`: private PostgreSQL, PgBouncer and Redis.

Unless DATABASE_URL / REDIS_URL name other servers, a PostgreSQL cluster, PgBouncer in front of
it and a Redis server run under ./var/ on free loopback ports (so a system PostgreSQL on 5432 or
Redis on 6379, or another checkout's stack, never collides). Django's DATABASE_URL goes through
PgBouncer; DATABASE_DIRECT_URL names PostgreSQL itself, for sessions of their own (migrations,
LISTEN, the test database). DATABASE_POOLER=none serves without PgBouncer; with a DATABASE_URL of
your own, DATABASE_POOLER=pgbouncer puts a private PgBouncer in front of that server. Several
commands of one checkout may share them (`make run` while `make test` runs): each holds a lease
in var/run/leases/, and the last one to leave stops the private services.

This package sits outside the Django project and imports neither Django nor geo_klik: it starts
the servers the project needs, then runs the project's own commands as subprocesses
(``manage.py provision_local``, gunicorn, celery, pytest).

    python -m stack run     provision, then serve web + worker + beat until Ctrl-C
    python -m stack test    provision, then pytest (extra args go to pytest)
    python -m stack bench   benchmarks in the geo_klik_bench database
    python -m stack up      provision and leave the services running
    python -m stack down    stop the private services
    python -m stack env     print the environment for manage.py / pytest

Modules: ``base`` (ports, pid files, the server base class), ``postgres``, ``pgbouncer``,
``redis``, ``services`` (the leases and the children's environment), ``supervisor`` and ``cli``.
"""
