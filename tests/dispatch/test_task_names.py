"""Actions send their tasks by name (tasks import actions, never the reverse): the names hold."""

from __future__ import annotations

import celery
import pytest

from geo_klik.dispatch import tasks as dispatch_tasks
from geo_klik.dispatch.actions import notifications, routes
from geo_klik.reports import actions as report_actions
from geo_klik.reports import tasks as report_tasks


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
