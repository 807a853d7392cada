from django.apps import AppConfig


class BoundariesConfig(AppConfig):
    name = "geo_klik.boundaries"
    verbose_name = "Batas wilayah / Boundaries"
