"""The business directory (UMKM) app; registers its two map layers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BusinessConfig(AppConfig):
    name = "geo_klik.business"
    verbose_name = "Usaha (UMKM) / Business"

    def ready(self) -> None:
        from geo_klik.business import search, serializers
        from geo_klik.maps import layers

        layers.register(
            layers.Layer(
                key=serializers.BUSINESS_LAYER,
                area=layers.BUSINESS,
                label=_("Businesses (UMKM)"),
                icon="🏪",
                colour="#8250df",
                url_name="business-api-list",
                search=search.search_businesses,
                order=10,
            )
        )
        layers.register(
            layers.Layer(
                key=serializers.PROMOTION_LAYER,
                area=layers.BUSINESS,
                label=_("Business events and promotions"),
                icon="🎉",
                colour="#bf3989",
                url_name="business-api-promotions",
                search=search.search_promotions,
                order=20,
            )
        )
