"""The Celery application: tasks run on Redis, configured from Django settings (CELERY_*)."""

import logging
import os
from typing import Any

import kombu
from celery import Celery
from celery.app.amqp import AMQP
from celery.beat import PersistentScheduler, ScheduleEntry
from celery.signals import task_postrun, task_prerun, worker_init
from django import db
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_klik.settings")


class BrokerConnection(kombu.Connection):
    """Kombu's connection, reconnecting every 2 s at most while the broker is down.

    Kombu waits 2, 4, 6... up to 30 s between attempts, so after a 30 s Redis outage the worker
    came back up to 12 s after Redis did; reports waiting to be routed wait that much longer.
    """

    def ensure_connection(  # type: ignore[override]
        self,
        errback: Any = None,
        max_retries: int | None = None,
        interval_start: float = 1,
        interval_step: float = 1,
        interval_max: float = 2,
        **kwargs: Any,
    ) -> kombu.Connection:
        return super().ensure_connection(
            errback,
            max_retries,  # type: ignore[arg-type]
            interval_start,  # type: ignore[arg-type]
            interval_step,  # type: ignore[arg-type]
            interval_max,  # type: ignore[arg-type]
            **kwargs,
        )


class BrokerAMQP(AMQP):
    """Celery's AMQP helpers, with the connection above."""

    Connection = BrokerConnection


app = Celery("geo_klik", amqp="geo_klik.celery:BrokerAMQP")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


@worker_init.connect
def keep_database_connections(**kwargs: Any) -> None:
    """Worker processes keep their PostgreSQL connection across tasks (settings say why).

    Runs in the worker's main process before the pool forks, so every child inherits it.
    """
    for database in settings.DATABASES.values():
        database["CONN_MAX_AGE"] = settings.WORKER_DATABASE_CONN_MAX_AGE


@task_prerun.connect
@task_postrun.connect
def close_old_database_connections(task: Any = None, **kwargs: Any) -> None:
    """Around each task, what Django does around each request: drop a failed or old connection.

    Not for a task run in its caller's process (``apply``, eager): the connection is the
    caller's, maybe inside its transaction.
    """
    if task is not None and getattr(task.request, "is_eager", False):
        return
    db.close_old_connections()


class RetryingScheduler(PersistentScheduler):
    """Celery beat's scheduler, except that a task it could not send (Redis down) is sent again
    every second until it goes, instead of being dropped until its next due time."""

    retry_interval_s = 1.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.unsent: dict[str, ScheduleEntry] = {}
        super().__init__(*args, **kwargs)

    def apply_entry(self, entry: ScheduleEntry, producer: Any = None) -> None:
        logger.info("Scheduler: Sending due task %s (%s)", entry.name, entry.task)
        try:
            self.apply_async(entry, producer=producer, advance=False)
        except Exception as exc:  # any broker failure: kept and sent again
            self.unsent[str(entry.name)] = entry
            logger.warning(
                "beat: %s not sent (%r); trying again every %.0f s",
                entry.name,
                exc,
                self.retry_interval_s,
            )
        else:
            self.unsent.pop(str(entry.name), None)

    def tick(self, *args: Any, **kwargs: Any) -> float:
        self.send_unsent()
        delay_s: float = super().tick(*args, **kwargs)
        return min(delay_s, self.retry_interval_s) if self.unsent else delay_s

    def send_unsent(self) -> None:
        """Send the tasks that were due while the broker was down (each once)."""
        for name, entry in list(self.unsent.items()):
            try:
                self.apply_async(entry, producer=self.producer, advance=False)
            except Exception:  # still down: the next tick tries again
                return
            del self.unsent[name]
            logger.info("beat: %s sent after the broker came back", name)
