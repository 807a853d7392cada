from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "geo_klik.residents"
    verbose_name = "Warga / Residents"
