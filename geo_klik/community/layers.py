"""The community area's two map layers (found by ``autodiscover_modules("layers")``)."""

from django.utils.translation import gettext_lazy as _

from geo_klik.community import search, serializers
from geo_klik.lib import layers

layers.register(
    layers.Layer(
        key=serializers.POSTS_LAYER,
        area=layers.COMMUNITY,
        label=_("Community posts"),
        icon="💬",
        colour="#1a7f37",
        url_name="community-layer-posts",
        search=search.search_posts,
        order=10,
    )
)
layers.register(
    layers.Layer(
        key=serializers.EVENTS_LAYER,
        area=layers.COMMUNITY,
        label=_("Community events"),
        icon="📅",
        colour="#bf8700",
        url_name="community-layer-events",
        search=search.search_events,
        default_on=True,
        order=20,
    )
)
