"""The worker's broker channel survives Redis dying while a task is unacknowledged."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import kombu
import kombu.exceptions
import pytest
import redis

from geo_klik.celery import app


class RedisDied(redis.exceptions.ConnectionError):
    """Stands for the error a BRPOP in flight gets when Redis is killed."""


@pytest.fixture
def collected() -> Iterator[tuple[Any, Any, str]]:
    """A channel holding one unacknowledged message, collected as celery does on a lost Redis."""
    queue = f"test-collected-{os.getpid()}"
    conn = app.connection_for_write()
    channel: Any = conn.default_channel
    kombu.Producer(channel).publish("x", routing_key=queue, declare=[kombu.Queue(queue)])
    message = channel.basic_get(queue, no_ack=False)
    assert message is not None

    def brpop_read(**kwargs: object) -> None:
        raise RedisDied("Connection closed by server.")

    # Redis died while the channel waited in BRPOP: kombu's close() raises before marking the
    # channel closed, and Connection.collect() (celery's on_connection_error_after_connected)
    # then drops the transport's broker address.
    channel._in_poll = True
    channel._brpop_read = brpop_read
    conn.collect()
    channel._in_poll = False
    del channel._brpop_read
    assert conn._transport is None  # type: ignore[attr-defined]
    yield channel, message, queue
    client = redis.Redis.from_url(app.conf.broker_url)
    client.delete(queue)


def test_it_restores_the_unacknowledged_message_when_the_collected_channel_closes(
    collected: tuple[Any, Any, str],
) -> None:
    channel, _, queue = collected
    channel.close()  # celery's Tasks.shutdown; kombu 5.7.0 alone: AttributeError 'hostname'
    client = redis.Redis.from_url(app.conf.broker_url)
    assert client.llen(queue) == 1


def test_it_acknowledges_a_message_of_the_collected_channel(
    collected: tuple[Any, Any, str],
) -> None:
    channel, message, _ = collected

    def restore_unacked(client: object = None) -> None:
        raise RedisDied("Connection refused.")

    channel.qos.restore_unacked = restore_unacked  # Redis still down when celery closes it
    with pytest.raises(RedisDied):
        channel.close()
    message.ack()  # the task finished after the reconnect; kombu 5.7.0 alone: AttributeError
    client = redis.Redis.from_url(app.conf.broker_url)
    assert not client.hexists(channel.unacked_key, message.delivery_tag)


def test_it_tries_to_reconnect_every_2_s_at_most_while_redis_is_down() -> None:
    waits: list[float] = []
    conn = app.connection_for_read("redis://127.0.0.1:1/0")  # nothing listens on port 1
    with pytest.raises(kombu.exceptions.OperationalError):
        conn.ensure_connection(lambda exc, interval: waits.append(interval), max_retries=3)
    assert waits and max(waits) <= 2  # kombu alone: 2, 4, 6, 8 s...
