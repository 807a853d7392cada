from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "geo_klik.search"
    verbose_name = "Pencarian / Search"
