from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "geo_klik.dispatch"
    verbose_name = "Disposisi / Dispatch"
