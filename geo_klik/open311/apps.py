from django.apps import AppConfig

from geo_klik.dispatch import signals as dispatch_signals


class Open311Config(AppConfig):
    name = "geo_klik.open311"
    verbose_name = "Open311 GeoReport v2"

    def ready(self) -> None:
        # As in DispatchConfig.ready: the receivers' models load only once the registry is.
        from geo_klik.open311 import receivers

        dispatch_signals.agencies_assigned.connect(
            receivers.send_to_own_servers, dispatch_uid="open311.send_to_own_servers"
        )
