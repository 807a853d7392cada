"""The business area's two map layers (found by ``autodiscover_modules("layers")``)."""

from django.utils.translation import gettext_lazy as _

from geo_klik.business import search, serializers
from geo_klik.lib import layers

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
