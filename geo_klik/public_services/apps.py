from django.apps import AppConfig


class PublicServicesConfig(AppConfig):
    name = "geo_klik.public_services"
    verbose_name = "Pelayanan publik / Public services"
