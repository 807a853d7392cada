from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "geo_klik.maps"
    verbose_name = "Peta / Maps"
