from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicServicesConfig(AppConfig):
    name = "geo_klik.public_services"
    verbose_name = "Pelayanan publik / Public services"

    def ready(self) -> None:
        from geo_klik.maps import layers
        from geo_klik.public_services import search

        layers.register(
            layers.Layer(
                key="offices",
                area=layers.PUBLIC_SERVICES,
                label=_("Public service offices"),
                icon="🏛️",
                colour="#6f42c1",
                url_name="services-api-offices",
                search=search.search,
                default_on=True,
                order=10,
            )
        )
