"""Template filters of the public services pages."""

from __future__ import annotations

from django import template

from geo_klik.public_services import serializers
from geo_klik.public_services.models import Service

register = template.Library()


@register.filter
def fee_text(service: Service) -> str:
    """``{{ service|fee_text }}``: "Free", "Rp 10.000", or the fee note."""
    return serializers.fee_text(service)


@register.filter
def time_text(service: Service) -> str:
    """``{{ service|time_text }}``: "1–3 working days", or the time note."""
    return serializers.time_text(service)
