"""The field's tasks are sent by the names they are registered with, and beat runs the sweeps."""

from __future__ import annotations

import celery
from django.conf import settings

from geo_klik.dispatch import tasks as dispatch_tasks
from geo_klik.field import actions
from geo_klik.field import tasks as field_tasks


def test_it_sends_the_alert_task_under_its_registered_name() -> None:
    assert field_tasks.send_alert.name == actions.SEND_ALERT_TASK
    task = celery.current_app.tasks[actions.SEND_ALERT_TASK]
    assert celery.signature(actions.SEND_ALERT_TASK).type is task
    assert task.name == field_tasks.sweep_alerts.name.replace("sweep_alerts", "send_alert")


def test_beat_runs_the_position_retention_and_the_alert_sweep() -> None:
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert dispatch_tasks.delete_old_positions.name in scheduled
    assert field_tasks.sweep_alerts.name in scheduled
