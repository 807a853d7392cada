from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "geo_klik.reports"
    verbose_name = "Laporan KLIK / KLIK reports"

    def ready(self) -> None:
        from geo_klik.maps import layers
        from geo_klik.reports import search

        layers.register_search(layers.SearchSource("klik", layers.KLIK, search.search))
