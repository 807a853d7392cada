"""Signal receivers of the notify app."""

from __future__ import annotations

from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver

from geo_klik.notify.channels import base


@receiver(setting_changed)
def _reset_channels(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("NOTIFY_"):
        base.reset_registry()
