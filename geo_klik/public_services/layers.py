"""The public services area's map layer (found by ``autodiscover_modules("layers")``)."""

from django.utils.translation import gettext_lazy as _

from geo_klik.lib import layers
from geo_klik.public_services import search, serializers

layers.register(
    layers.Layer(
        key=serializers.LAYER_KEY,
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
