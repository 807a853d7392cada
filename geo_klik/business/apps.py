from django.apps import AppConfig


class BusinessConfig(AppConfig):
    name = "geo_klik.business"
    verbose_name = "Usaha (UMKM) / Business"
