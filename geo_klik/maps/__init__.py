"""Maps: folium map builders, the map pages and their GeoJSON feeds."""
