"""Actions send their tasks by name (tasks import actions, never the reverse): the names hold."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import celery
import pytest
import redis
from django.conf import settings

from geo_klik.dispatch import tasks as dispatch_tasks
from geo_klik.dispatch.actions import notifications, routes
from geo_klik.reports import actions as report_actions
from geo_klik.reports import tasks as report_tasks
from tests.conftest import closed_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("name", "task"),
    [
        (routes.ROUTE_REPORT_TASK, dispatch_tasks.route_report),
        (notifications.DELIVER_TASK, dispatch_tasks.deliver_notification),
        (report_actions.GEOCODE_TASK, report_tasks.geocode_report),
    ],
)
def test_it_sends_each_task_under_the_name_it_is_registered_with(
    name: str,
    task: celery.Task,  # type: ignore[type-arg]
) -> None:
    assert task.name == name
    assert celery.current_app.tasks[name] is task._get_current_object()  # type: ignore[attr-defined]
    assert celery.signature(name).type is task._get_current_object()  # type: ignore[attr-defined]


# A web process never imports the tasks modules: there the signature falls back to
# app.send_task under the name. Run in a fresh interpreter to prove it, against this test run's
# Redis, then against a closed port (a broker outage must still answer at once).
SEND_IN_A_WEB_PROCESS = """
import json, sys, time
import django
django.setup()
from geo_klik.dispatch.actions import routes
started = time.monotonic()
sent = routes.enqueue_routing([987654321])
print(json.dumps({
    "sent": sent,
    "seconds": time.monotonic() - started,
    "tasks_imported": "geo_klik.dispatch.tasks" in sys.modules,
}))
"""


def send_in_a_web_process(redis_url: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", SEND_IN_A_WEB_PROCESS],
        cwd=ROOT,
        env={**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "geo_klik.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_a_process_without_the_tasks_module_sends_the_routing_task_by_name() -> None:
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete("celery")
    result = send_in_a_web_process(settings.REDIS_URL)
    assert result["sent"] == 1 and not result["tasks_imported"]
    messages = [json.loads(raw) for raw in client.lrange("celery", 0, -1)]
    client.delete("celery")
    assert [m["headers"]["task"] for m in messages] == [routes.ROUTE_REPORT_TASK]
    assert messages[0]["headers"]["argsrepr"] == "(987654321,)"


def test_a_process_without_the_tasks_module_gives_up_at_once_when_redis_is_down() -> None:
    result = send_in_a_web_process(f"redis://127.0.0.1:{closed_port()}/0")
    assert result["sent"] == 0 and not result["tasks_imported"]
    assert result["seconds"] < 5  # one connection attempt, no retries
