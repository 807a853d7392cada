"""Notification channels (see base.py): e-mail, SMS gateway, Web Push."""

from geo_klik.notify.channels.base import (
    Channel,
    Refused,
    Rendered,
    Retry,
    available_channels,
    get_channel,
)

__all__ = ["Channel", "Refused", "Rendered", "Retry", "available_channels", "get_channel"]
