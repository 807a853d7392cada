from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "geo_klik.field"
    verbose_name = "Petugas lapangan / Field officers"

    def ready(self) -> None:
        # Django's place to connect receivers: a dispatch tells its officers' phones.
        from geo_klik.dispatch import unit_signals
        from geo_klik.field import receivers

        unit_signals.units_dispatched.connect(
            receivers.alert_officers, dispatch_uid="field.alert_officers"
        )
