from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "geo_klik.analytics"
    verbose_name = "Analitik / Analytics"
