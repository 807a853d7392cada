from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "geo_klik.ops"
    verbose_name = "Operasional / Operations"
