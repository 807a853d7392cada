"""What to tell someone whose point is outside the city: where it is, and whom to contact."""

from __future__ import annotations

from geo_klik.boundaries import cities, neighbours, queries
from geo_klik.lib import errors


def outside_problem(
    lat: float, lon: float, *, field: str | None, detail_id: str = "", detail_en: str = ""
) -> errors.PlacedProblem:
    """The ``outside_city`` problem for (lat, lon): with the neighbouring kab/kota and its
    kelurahan/desa/nagari when the point lies in one (``place``), else the bare refusal.

    ``detail_id``/``detail_en`` follow the city's name (e.g. the routing tolerance).
    """
    city = cities.served().name
    place = queries.neighbour_at(lat, lon)
    if place is None:
        return errors.PlacedProblem(
            field,
            "outside_city",
            f"Titik ini berada di luar {city}{detail_id}.",
            f"This point is outside {city}{detail_en}.",
            None,
        )
    contact = place.contact_name or place.region_name
    channel = neighbours.data()["national_channel"]
    return errors.PlacedProblem(
        field,
        "outside_city",
        f"Titik ini berada di {place.label}, di luar {city}{detail_id}. Laporkan kepada "
        f"{contact} (atau lewat {channel['name']}, {channel['url']}).",
        f"This point is in {place.label}, outside {city}{detail_en}. Report it to "
        f"{contact} (or through {channel['name']}, {channel['url']}).",
        place.as_json(),
    )
