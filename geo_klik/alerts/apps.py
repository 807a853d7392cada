from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "geo_klik.alerts"
    verbose_name = "Peringatan wilayah / Area alerts"

    def ready(self) -> None:
        from geo_klik.alerts import receivers  # noqa: F401  (connects the signal receivers)
