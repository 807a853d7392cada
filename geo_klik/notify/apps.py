from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "geo_klik.notify"
    verbose_name = "Notifikasi warga / Resident notifications"

    def ready(self) -> None:
        from geo_klik.notify import receivers  # noqa: F401  (connects the signal receivers)
