from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "geo_klik.dispatch"
    verbose_name = "Disposisi / Dispatch"

    def ready(self) -> None:
        # Django's place to connect receivers: the models they need load only after the app
        # registry is ready, so the import cannot sit at the top of this module.
        from geo_klik.dispatch import receivers
        from geo_klik.reports import signals

        signals.report_accepted.connect(
            receivers.route_accepted_reports, dispatch_uid="dispatch.route_accepted_reports"
        )
