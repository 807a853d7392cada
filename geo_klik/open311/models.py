"""Open311 API keys, and what an Open311 client sent with a report that a Report cannot hold."""

from __future__ import annotations

import hashlib

from django.db import models


def hash_key(raw_key: str) -> str:
    """The stored form of an API key: its SHA-256 hex digest (the key itself is never stored)."""
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


class ApiKey(models.Model):
    """A key that lets one Open311 client (an app, a partner's system) file service requests.

    Only a SHA-256 hash of the key is stored, with a short prefix to recognise it in the admin;
    the key itself is shown once, when it is created.
    """

    name = models.CharField(max_length=100, help_text="Who holds the key (an app, an office).")
    prefix = models.CharField(max_length=16, editable=False, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "kunci API Open311 / Open311 API key"
        verbose_name_plural = "kunci API Open311 / Open311 API keys"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ServiceRequest(models.Model):
    """The Open311 side of a report filed through Open311.

    Which key filed it, and the fields of a GeoReport v2 POST that a KLIK report has no place
    for. ``media_url`` is a link the client gave; geo_klik never fetches it (no outbound
    network, and a photo must be checked and stripped of metadata before it is stored), so it is
    kept as given and published only when the report has no photo of its own and its category
    is not sensitive. ``device_id`` and ``account_id`` identify the client's user: they are
    never published.
    """

    report = models.OneToOneField(
        "reports.Report", on_delete=models.CASCADE, related_name="open311"
    )
    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="requests")
    media_url = models.URLField(max_length=1000, blank=True)
    address_string = models.CharField(max_length=300, blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "permintaan Open311 / Open311 service request"
        verbose_name_plural = "permintaan Open311 / Open311 service requests"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Open311 {self.report_id}"
