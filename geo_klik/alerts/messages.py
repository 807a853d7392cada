"""What an alert, a digest or a confirmation says, with its links: reads only, no writes."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from geo_klik.alerts import credentials, queries, texts
from geo_klik.alerts.models import AlertDelivery, AlertSubscription, AlertTrigger, Subscriber
from geo_klik.boundaries.models import Kelurahan
from geo_klik.notify.channels import Refused, Rendered
from geo_klik.reports.models import Report


@dataclass(frozen=True)
class Outgoing:
    """A delivery ready to send: the text, its e-mail headers, its push tag."""

    rendered: Rendered
    headers: dict[str, str]
    tag: str
    unsubscribe_url: str
    footer: str  # e-mail only: why it came, the manage and unsubscribe links


def absolute(path: str) -> str:
    return f"{settings.NOTIFY_BASE_URL}{path}"


def unsubscribe_url(subscription: AlertSubscription) -> str:
    token = credentials.unsubscribe_token(subscription.pk)
    return absolute(reverse("alerts-unsubscribe", args=[token]))


def manage_url(subscriber: Subscriber) -> str:
    token = credentials.link_token(subscriber.pk, subscriber.key_sha256)
    return absolute(reverse("alerts-page")) + f"#kunci={token}"


def area_of(subscription: AlertSubscription, places: dict[int, str]) -> str:
    name = ""
    if (pk := subscription.kelurahan_id) is not None:
        if pk not in places:
            places[pk] = (
                Kelurahan.objects.filter(pk=pk).values_list("name", flat=True).first() or ""
            )
        name = places[pk]
    return texts.area_text(
        kelurahan=name, radius_m=subscription.radius_m, lang=subscription.language
    )


def news_of(report: Report, kind: str) -> texts.News:
    return texts.News(
        kind=kind,
        code=report.tracking_code,
        category_id=report.category.name_id,
        category_en=report.category.name_en,
        kelurahan=report.kelurahan.name if report.kelurahan is not None else "",
        url=absolute(reverse("residents-track", args=[report.tracking_code])),
    )


def trigger_news(trigger_id: int, cache: dict[int, texts.News | None]) -> texts.News | None:
    """The news of a trigger (None if its report is gone), read once per ``cache``."""
    if trigger_id not in cache:
        trigger = AlertTrigger.objects.filter(pk=trigger_id).values("report_id", "kind").first()
        report = None
        if trigger is not None:
            report = queries.news_reports([trigger["report_id"]]).get(trigger["report_id"])
        cache[trigger_id] = news_of(report, trigger["kind"]) if report and trigger else None
    return cache[trigger_id]


def render(
    delivery: AlertDelivery,
    *,
    news: dict[int, texts.News | None] | None = None,
    places: dict[int, str] | None = None,
) -> Outgoing:
    """What ``delivery`` says, in its subscription's language, with its unsubscribe link.

    ``news`` and ``places`` are a sending batch's caches (each trigger's news and each
    kelurahan's name, read once per batch).
    """
    news = {} if news is None else news
    places = {} if places is None else places
    subscription = delivery.subscription
    lang = subscription.language
    stop = unsubscribe_url(subscription)
    manage = manage_url(subscription.subscriber)
    area = area_of(subscription, places)
    footer = texts.footer(area=area, unsubscribe_url=stop, manage_url=manage, lang=lang)
    if delivery.kind == AlertDelivery.Kind.CONFIRM:
        subject, text = texts.confirmation(area=area, lang=lang)
        url = absolute(reverse("alerts-confirm", args=[credentials.confirm_token(subscription.pk)]))
        tag = f"klik-alert-confirm-{subscription.pk}"
    elif delivery.kind == AlertDelivery.Kind.DIGEST:
        items = list(
            AlertDelivery.objects.filter(digest=delivery)
            .order_by("trigger__occurred_at", "id")
            .values_list("trigger__report_id", "trigger__kind")
        )
        if not items:
            raise Refused("empty digest")
        reports = queries.news_reports([r for r, _ in items])
        listed = [news_of(reports[r], k) for r, k in items if r in reports]
        subject, text = texts.digest(listed, lang=lang)
        # The alerts page (its manage link, with the key, is in the footer only).
        url, tag = absolute(reverse("alerts-page")), f"klik-alert-digest-{subscription.pk}"
    else:
        if delivery.trigger_id is None:
            raise Refused("alert without a trigger")
        told = trigger_news(delivery.trigger_id, news)
        if told is None:
            raise Refused("report deleted")
        subject, text = texts.alert(told, lang=lang)
        url, tag = told.url, f"klik-alert-{delivery.trigger_id}"
    headers = {
        "List-Unsubscribe": f"<{stop}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    rendered = Rendered(subject=subject, text=text, url=url, lang=lang)
    return Outgoing(
        rendered=rendered, headers=headers, tag=tag, unsubscribe_url=stop, footer=footer
    )
