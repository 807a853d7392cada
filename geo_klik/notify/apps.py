from django.apps import AppConfig
from django.core import checks


class NotifyConfig(AppConfig):
    name = "geo_klik.notify"
    verbose_name = "Notifikasi warga / Resident notifications"

    def ready(self) -> None:
        from geo_klik.notify import checks as notify_checks
        from geo_klik.notify import receivers  # noqa: F401  (connects the signal receivers)

        checks.register(notify_checks.check_base_url, checks.Tags.security, deploy=True)
