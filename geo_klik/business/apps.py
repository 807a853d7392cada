"""The business directory (UMKM) app; its map layers are declared in layers.py."""

from django.apps import AppConfig


class BusinessConfig(AppConfig):
    name = "geo_klik.business"
    verbose_name = "Usaha (UMKM) / Business"
