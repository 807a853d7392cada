"""The information services app: announcements and places of interest."""

from django.apps import AppConfig


class InformationConfig(AppConfig):
    name = "geo_klik.information"
    verbose_name = "Layanan informasi / Information services"
