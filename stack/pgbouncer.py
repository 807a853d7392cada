"""PgBouncer in var/pgbouncer, in front of the private cluster or a server of one's own."""

from __future__ import annotations

import os
import shutil
import signal
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from stack import base

PGBOUNCER_BASE_PORT = 57432
PGBOUNCER_QUERY_WAIT_TIMEOUT_S = 5  # a client queued longer for a server session gets an error


@dataclass(frozen=True)
class Upstream:
    """The PostgreSQL server PgBouncer pools connections to, and who it logs in as."""

    host: str
    port: int
    user: str
    password: str = ""
    sslmode: str = "prefer"  # PgBouncer to the server; clients reach PgBouncer over loopback

    @classmethod
    def from_url(cls, database_url: str) -> Upstream:
        parts = urlsplit(database_url)
        sslmode = dict(parse_qsl(parts.query)).get("sslmode", "prefer")
        if sslmode not in UPSTREAM_SSLMODES:
            raise base.StackError(
                f"sslmode={sslmode} in DATABASE_URL: the private PgBouncer supports "
                f"{', '.join(sorted(UPSTREAM_SSLMODES))} (or set DATABASE_POOLER=none)"
            )
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            sslmode=sslmode,
        )


# verify-ca / verify-full would need PgBouncer's own CA file setting, which the stack does not set.
UPSTREAM_SSLMODES = {"disable", "allow", "prefer", "require"}


def ini_value(value: str) -> str:
    """A value in a PgBouncer connection string, single-quoted ('' for ') when it must be."""
    if "\n" in value or "\r" in value:
        raise base.StackError("a database user, password or host cannot span lines in PgBouncer")
    if value and all(c.isalnum() or c in "._-" for c in value):
        return value
    return "'" + value.replace("'", "''") + "'"


def auth_line(user: str, password: str) -> str:
    return '"{}" "{}"'.format(*(part.replace('"', '""') for part in (user, password)))


class PrivatePgBouncer(base.PrivateServer):
    """PgBouncer in var/pgbouncer, pooling the connections of web, worker and beat.

    Session pooling: a client (one Django connection, one request under ASGI) holds one server
    connection until it disconnects, then DISCARD ALL resets that session for the next client.
    So everything a PostgreSQL session offers keeps working (advisory locks, server-side cursors,
    SET, LISTEN, prepared statements), unlike transaction pooling. Any database name is served
    (a wildcard entry), so the benchmarks' and the tests' databases go through it too.
    """

    name = "pgbouncer"
    pid_file_name = "pgbouncer.pid"
    base_port = PGBOUNCER_BASE_PORT

    @property
    def config(self) -> Path:
        return self.home / "pgbouncer.ini"

    def binary(self) -> str:
        found = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
        if not Path(found).exists():
            raise base.StackError("PgBouncer not found; run scripts/bootstrap")
        return found

    def write_config(self, port: int, upstream: Upstream) -> bool:
        """Write pgbouncer.ini and its auth file; True when the configuration changed."""
        server = f"host={ini_value(upstream.host)} port={upstream.port}"
        server += f" user={ini_value(upstream.user)}"
        if upstream.password:
            server += f" password={ini_value(upstream.password)}"
        # Clients log in as the upstream user: trusted over loopback like the private cluster,
        # or with the upstream's own password when it has one.
        auth_type = "scram-sha-256" if upstream.password else "trust"
        text = PGBOUNCER_INI.format(
            server=server,
            port=port,
            home=self.home,
            auth_type=auth_type,
            admin=upstream.user,
            sslmode=upstream.sslmode,
            query_wait_timeout_s=PGBOUNCER_QUERY_WAIT_TIMEOUT_S,
        )
        changed = not self.config.exists() or self.config.read_text() != text
        for path, content in (
            (self.home / "users.txt", auth_line(upstream.user, upstream.password) + "\n"),
            (self.config, text),
        ):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(content)
            if os.geteuid() == 0:
                shutil.chown(path, "postgres", "postgres")
        return changed

    def start(self, upstream: Upstream) -> int:
        base.prepare_server_dir(self.dir)
        port = self.next_port()
        self.write_config(port, upstream)
        base.run_quiet(
            base.as_server_user([self.binary(), "-d", "-q", str(self.config)]),
            what="starting PgBouncer (see var/pgbouncer/pgbouncer.log)",
        )
        return self.wait_until_running(port, base.listens, what="PgBouncer")

    def ensure_running(self, upstream: Upstream) -> int:
        port = self.running_port()
        if port is None:
            port = self.start(upstream)
            base.log(f"PgBouncer started on 127.0.0.1:{port} (session pooling)")
        elif self.write_config(port, upstream):
            # The cluster came back on another port since: SIGHUP reloads the server entry.
            os.kill(int(self.pid_file.read_text().strip()), signal.SIGHUP)
            base.log(f"PgBouncer on 127.0.0.1:{port} now pools {upstream.host}:{upstream.port}")
        return port

    def url(self, port: int, database_url: str) -> str:
        """``database_url``'s database and credentials, through this PgBouncer."""
        parts = urlsplit(database_url)
        userinfo = parts.netloc.rpartition("@")[0] or "postgres"
        # TLS is PgBouncer's business towards the server (server_tls_sslmode), not on loopback.
        query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "sslmode"])
        return urlunsplit(parts._replace(netloc=f"{userinfo}@127.0.0.1:{port}", query=query))


# Session pooling (PrivatePgBouncer says why). Each setting next to why it has this value.
PGBOUNCER_INI = """\
; written by stack/pgbouncer.py
[databases]
; any database name, so the benchmarks' and the tests' databases are pooled too
* = {server}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
pidfile = {home}/pgbouncer.pid
logfile = {home}/pgbouncer.log
auth_type = {auth_type}
auth_file = {home}/users.txt
admin_users = {admin}
server_tls_sslmode = {sslmode}
pool_mode = session
server_reset_query = DISCARD ALL
; web, worker and beat together, per database: 2 gunicorn workers keep 24 sessions each
; (WEB_KEPT_CONNECTIONS), Celery's processes theirs, the other web threads connect per request;
; at most 160 over every database, so
; PostgreSQL's 250 (stack/postgres.py) leave room for direct sessions (migrations, LISTEN, the
; tests); more clients wait
default_pool_size = 100
max_user_connections = 160
max_client_conn = 400
; a connection idle for more than a second is checked before a client gets it, so one broken
; by a PostgreSQL restart is replaced instead of failing a request
server_check_query = select 1
server_check_delay = 1
; after a failed login (PostgreSQL restarting) new clients are refused at once for this long,
; then the next one tries again: 0.1 s, not the default 15 s during which every request would be
; refused although PostgreSQL was back (0 makes PgBouncer retry in a busy loop)
server_login_retry = 0.1
server_connect_timeout = 5
server_lifetime = 600
server_idle_timeout = 60
; a client queued for a server connection this long gets an error (the JSON 503 with
; Retry-After): long enough to ride through a restart of PostgreSQL, short enough to answer
; soon in an outage or when every server connection is busy
query_wait_timeout = {query_wait_timeout_s}
log_connections = 0
log_disconnections = 0
"""
