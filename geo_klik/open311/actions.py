"""Writes of the Open311 API: issuing API keys and filing service requests as KLIK reports."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from geo_klik.open311.models import ApiKey, ServiceRequest, hash_key
from geo_klik.open311.params import NewRequest
from geo_klik.reports import actions as report_actions
from geo_klik.reports.models import Category, Report

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


def file_request(*, api_key: ApiKey, category: Category, new: NewRequest) -> Report:
    """File a POST requests as a KLIK report (source open311) and remember its Open311 fields.

    Raises reports.actions.OutsideCity for a point beyond the tolerance outside the city.
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
        )
        ServiceRequest.objects.create(
            report=report,
            api_key=api_key,
            media_url=new.media_url,
            address_string=new.address_string,
            device_id=new.device_id,
            account_id=new.account_id,
        )
    record_key_use(api_key)
    return report
