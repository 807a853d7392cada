from django.apps import AppConfig

from geo_klik.reports import signals as report_signals


class DispatchConfig(AppConfig):
    name = "geo_klik.dispatch"
    verbose_name = "Disposisi / Dispatch"

    def ready(self) -> None:
        # Django's place to connect receivers (its signals documentation): the receivers call
        # actions, whose models load only once the app registry is ready, so this one import
        # cannot sit at the top of the module. It closes no cycle: dispatch sits above reports.
        from geo_klik.dispatch import receivers

        report_signals.report_accepted.connect(
            receivers.route_accepted_reports, dispatch_uid="dispatch.route_accepted_reports"
        )
        report_signals.report_reopened.connect(
            receivers.reopened_by_reporter, dispatch_uid="dispatch.reopened_by_reporter"
        )
