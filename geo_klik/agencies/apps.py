from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "geo_klik.agencies"
    verbose_name = "SKPD / Agencies"
