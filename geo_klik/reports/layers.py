"""KLIK's search source: categories and tracking codes, no map layer of its own (the reports
map feed is the maps app's). Found by ``autodiscover_modules("layers")``."""

from geo_klik.lib import layers
from geo_klik.reports import search

layers.register_search(layers.SearchSource("klik", layers.KLIK, search.search))
