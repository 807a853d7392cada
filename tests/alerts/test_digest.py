"""Daily digests: held alerts become one message per subscription after the digest hour, once."""

from __future__ import annotations

import email
import email.policy
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from geo_klik.alerts import actions
from geo_klik.alerts.models import AlertDelivery
from geo_klik.reports.models import Category
from tests.alerts.conftest import CENTRE, at_distance, make_report, resolve, route, subscribe
from tests.conftest import TinyCity
from tests.notify.conftest import Queued, RecordingSMTP

WIB = ZoneInfo("Asia/Jakarta")


def test_it_sends_the_days_matches_as_one_digest_once(
    tiny_city: TinyCity, garbage: Category, smtp: RecordingSMTP, queued: Queued
) -> None:
    daily = subscribe([garbage], centre=CENTRE, radius_m=1500, frequency="daily")
    first = make_report(garbage, *at_distance(*CENTRE, metres=200), tiny_city)
    second = make_report(garbage, *at_distance(*CENTRE, metres=900, azimuth=10), tiny_city)
    route(first)
    route(second)
    resolve(first)
    for report, kind in ((first, "new"), (second, "new"), (first, "resolved")):
        actions.fan_out(report.pk, kind)
    assert set(AlertDelivery.objects.values_list("status", flat=True)) == {"held"}
    assert actions.send_due() == 0 and smtp.messages == []  # nothing immediate

    made_at = AlertDelivery.objects.latest("created_at").created_at.astimezone(WIB)
    before = made_at.replace(hour=17, minute=59) if made_at.hour < 18 else made_at
    if made_at.hour < 18:
        assert actions.collect_digests(now=before) == 0  # before 18:00: the day is not over
    after = (made_at + timedelta(days=1)).replace(hour=18, minute=5)
    assert actions.collect_digests(now=after) == 3
    assert actions.collect_digests(now=after + timedelta(minutes=10)) == 0  # beat again
    sender = actions.Sender()
    assert actions.send_one(sender, now=after)
    assert not actions.send_one(sender, now=after)
    sender.close()
    [envelope] = smtp.messages
    message = email.message_from_bytes(
        envelope.original_content or b"", policy=email.policy.default
    )
    assert message["Subject"] == "[KLIK] Ringkasan harian: 3 kabar di wilayah Anda"
    body = message.get_content()
    assert body.count(f"/lacak/{first.tracking_code}/") == 2
    assert body.count(f"/lacak/{second.tracking_code}/") == 1
    assert "Berhenti berlangganan" in body
    assert body.count("#kunci=") == 1  # the manage link, once, in the footer
    digest = AlertDelivery.objects.get(kind="digest")
    assert (digest.subscription_id, digest.status) == (daily.pk, "sent")
    assert digest.items.count() == 3
    assert actions.collect_digests(now=after + timedelta(hours=1)) == 0
    assert not actions.send_one(actions.Sender(), now=after + timedelta(hours=1))
    assert len(smtp.messages) == 1


def test_an_alert_after_the_digest_waits_for_the_next_day(
    tiny_city: TinyCity, garbage: Category, smtp: RecordingSMTP, queued: Queued
) -> None:
    subscribe([garbage], centre=CENTRE, radius_m=1500, frequency="daily")
    report = make_report(garbage, *at_distance(*CENTRE, metres=200), tiny_city)
    route(report)
    actions.fan_out(report.pk, "new")
    held = AlertDelivery.objects.get()
    # The digest time that just passed is before the alert was made: it waits for the next.
    made = held.created_at.astimezone(WIB)
    cutoff_before = made.replace(hour=18, minute=0, second=0, microsecond=0)
    if cutoff_before > made:
        cutoff_before -= timedelta(days=1)
    assert actions.collect_digests(now=made + timedelta(seconds=1)) == 0
    assert actions.digest_cutoff(made + timedelta(seconds=1))[1] == cutoff_before
    next_cutoff = cutoff_before + timedelta(days=1)
    assert actions.collect_digests(now=next_cutoff + timedelta(minutes=1)) == 1


def test_the_digest_cutoff_is_local_time() -> None:
    day, cutoff = actions.digest_cutoff(datetime(2026, 5, 1, 12, 30, tzinfo=WIB))
    assert (str(day), cutoff.hour, cutoff.day) == ("2026-04-30", 18, 30)
    day, cutoff = actions.digest_cutoff(datetime(2026, 5, 1, 11, 0, tzinfo=ZoneInfo("UTC")))
    assert (str(day), cutoff.hour) == ("2026-05-01", 18)  # 18:00 WIB is 11:00 UTC
