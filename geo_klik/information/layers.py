"""The information area's two map layers (found by ``autodiscover_modules("layers")``)."""

from django.utils.translation import gettext_lazy as _

from geo_klik.information import queries
from geo_klik.lib import layers

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
