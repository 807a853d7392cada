"""Writes of the Open311 API: issuing API keys and filing service requests as KLIK reports."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from geo_klik.open311 import queries
from geo_klik.open311.models import ApiKey, ServiceRequest, UpdateReceipt, hash_key
from geo_klik.open311.params import NewRequest, NewUpdate
from geo_klik.reports import actions as report_actions
from geo_klik.reports.actions import NewPhoto
from geo_klik.reports.models import Category, Report, ReportEvent

KEY_PREFIX = "o311_"  # recognisable in a leaked config file or a log
KEY_BYTES = 32
PREFIX_LENGTH = 12  # what the admin shows: "o311_" and 7 characters of the secret


def set_new_key(api_key: ApiKey) -> str:
    """Give the key a fresh secret, save it, and return the secret (only its hash is stored)."""
    raw_key = KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)
    api_key.key_hash = hash_key(raw_key)
    api_key.prefix = raw_key[:PREFIX_LENGTH]
    api_key.save()
    return raw_key


def create_api_key(*, name: str) -> tuple[ApiKey, str]:
    """A new active key for `name`, and its secret, which is never shown again."""
    api_key = ApiKey(name=name)
    return api_key, set_new_key(api_key)


def deactivate_api_keys(*, prefix: str) -> int:
    return ApiKey.objects.filter(prefix=prefix, active=True).update(active=False)


def record_key_use(api_key: ApiKey) -> None:
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())


def file_request(
    *,
    api_key: ApiKey,
    category: Category,
    new: NewRequest,
    photo: NewPhoto | None = None,
    attributes: dict[str, Any] | None = None,
) -> Report:
    """File a POST requests as a KLIK report (source open311) and remember its Open311 fields.

    ``photo`` is already checked and cleaned (``reports.photos``), ``attributes`` already
    checked against the service's. Raises reports.actions.OutsideCity for a point beyond the
    tolerance outside the city.
    """
    with transaction.atomic():
        report, _ = report_actions.create_report(
            category=category,
            lat=new.lat,
            lon=new.lon,
            description=new.description,
            reporter_name=new.reporter_name,
            reporter_phone=new.reporter_phone,
            reporter_email=new.reporter_email,
            source=Report.Source.OPEN311,
            photos=() if photo is None else (photo,),
        )
        ServiceRequest.objects.create(
            report=report,
            api_key=api_key,
            media_url=new.media_url,
            address_string=new.address_string,
            device_id=new.device_id,
            account_id=new.account_id,
            attributes=attributes or {},
        )
    record_key_use(api_key)
    return report


def add_client_update(
    *, api_key: ApiKey, report: Report, new: NewUpdate, photo: NewPhoto | None = None
) -> tuple[ReportEvent, bool]:
    """A client's update to a request it filed, as a public comment; (event, created).

    The client's users are the reporters' side, so the update is a resident comment: it never
    changes the report's status (the SKPD's workflow does). A repeat of an update the client
    already sent (same ``update_id_ext``) returns the first one's event.
    """
    if new.external_id:
        earlier = queries.update_receipt_event(api_key, new.external_id)
        if earlier is not None:
            return earlier, False
    try:
        with transaction.atomic():
            event = report_actions.add_comment(report, text=new.description, photo=photo)
            UpdateReceipt.objects.create(api_key=api_key, external_id=new.external_id, event=event)
    except IntegrityError:
        earlier = (
            queries.update_receipt_event(api_key, new.external_id) if new.external_id else None
        )
        if earlier is None:
            raise
        return earlier, False  # the same update, sent twice at once
    record_key_use(api_key)
    return event, True
