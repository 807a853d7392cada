from django.apps import AppConfig


class ControlConfig(AppConfig):
    name = "geo_klik.control"
    verbose_name = "Ruang kendali / Control room"
