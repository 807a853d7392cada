from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "geo_klik.reports"
    verbose_name = "Laporan KLIK / KLIK reports"
