"""Kombu's Redis transport, made to survive a channel closed after its connection was collected.

Why (kombu/celery 5.7.0): when Redis dies while the worker is inside a BRPOP, celery's
``Consumer.on_connection_error_after_connected`` calls ``Connection.collect()``. Its first
``channel.close()`` raises from ``_brpop_read`` before the channel is marked closed, and
``collect`` then sets ``transport.client = None``. Celery's ``Tasks.shutdown`` closes the same
channel again; this time it reaches ``QoS.restore_unacked``, which must build a new pool from
``transport.client.hostname``: ``AttributeError`` ("'NoneType' object has no attribute
'hostname'"), which ``ignore_errors`` does not catch, so the worker dies ("Unrecoverable error").

The same happens when a task finishes after the reconnect and its message is acknowledged on the
collected channel ("'NoneType' object has no attribute 'client'", from ``QoS.ack``).

Here a channel remembers the address it last connected with, so restoring and acknowledging on a
collected channel reach Redis again (or fail with a connection error, which celery ignores; the
message then stays in Redis's unacked hash and ``restore_visible`` redelivers it after the
visibility timeout, and beat's sweep queues the report again sooner).
"""

from __future__ import annotations

from typing import Any

from kombu.transport import redis as kombu_redis


class BrokerAddressLost(Exception):
    """A collected channel that never connected has no broker address to use."""


class Channel(kombu_redis.Channel):
    """Kombu's Redis channel that keeps the broker's address after its connection is collected."""

    _last_connparams: dict[str, Any] | None = None

    def _connparams(self, asynchronous: bool = False) -> dict[str, Any]:
        transport = self.connection
        if not asynchronous and (transport is None or transport.client is None):
            # Collected after a connection error (see the module docstring): restoring and
            # acknowledging still need a client; a Redis still down raises a connection error,
            # which celery ignores and which leaves the message to the visibility timeout.
            if self._last_connparams is None:
                raise BrokerAddressLost("channel closed before it ever connected")
            return dict(self._last_connparams)
        params: dict[str, Any] = super()._connparams(asynchronous=asynchronous)  # type: ignore[misc]
        if not asynchronous:
            self._last_connparams = dict(params)
        return params


class Transport(kombu_redis.Transport):
    """Kombu's Redis transport with the channel above; select it with ``broker_transport``."""

    Channel = Channel
