"""The information services app: announcements and places of interest."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformationConfig(AppConfig):
    name = "geo_klik.information"
    verbose_name = "Layanan informasi / Information services"

    def ready(self) -> None:
        from geo_klik.information import queries
        from geo_klik.maps import layers

        layers.register(
            layers.Layer(
                key=queries.PLACES_LAYER,
                area=layers.INFORMATION,
                label=_("Places of interest"),
                icon="📍",
                colour="#1a7f37",
                url_name="information-api-places",
                search=queries.search_places,
                default_on=True,
                order=10,
            )
        )
        layers.register(
            layers.Layer(
                key=queries.ANNOUNCEMENTS_LAYER,
                area=layers.INFORMATION,
                label=_("Announcements"),
                icon="📢",
                colour="#bf8700",
                url_name="information-api-announcements-map",
                search=queries.search_announcements,
                default_on=False,
                order=20,
            )
        )
