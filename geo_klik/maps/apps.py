"""The maps app; when ready, it imports every app's ``layers`` module (the admin's pattern)."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class MapsConfig(AppConfig):
    name = "geo_klik.maps"
    verbose_name = "Peta / Maps"

    def ready(self) -> None:
        # Each <app>/layers.py registers its layers in geo_klik.lib.layers.
        autodiscover_modules("layers")
