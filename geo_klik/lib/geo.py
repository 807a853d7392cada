"""The one place where (lat, lon) and GEOS (x=lon, y=lat) meet."""

from __future__ import annotations

import math

from django.contrib.gis.geos import Point

WGS84 = 4326


class InvalidCoordinates(ValueError):
    """Latitude or longitude is missing, not a number, or out of range."""

    def __init__(self, field: str, message_id: str, message_en: str) -> None:
        super().__init__(f"{field}: {message_en}")
        self.field = field
        self.message_id = message_id
        self.message_en = message_en


def parse_coordinate(field: str, raw: object, *, limit: float) -> float:
    """A finite float within [-limit, limit]; raise InvalidCoordinates naming the field."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise InvalidCoordinates(field, f"{field} wajib diisi.", f"{field} is required.")
    if isinstance(raw, bool):
        raise InvalidCoordinates(
            field, f"{field} harus berupa angka.", f"{field} must be a number."
        )
    try:
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise InvalidCoordinates(
            field, f"{field} harus berupa angka.", f"{field} must be a number."
        ) from None
    if not math.isfinite(value):
        raise InvalidCoordinates(
            field, f"{field} harus berupa angka terhingga.", f"{field} must be a finite number."
        )
    if not -limit <= value <= limit:
        raise InvalidCoordinates(
            field,
            f"{field} harus di antara -{limit:g} dan {limit:g}.",
            f"{field} must be between -{limit:g} and {limit:g}.",
        )
    return value


def parse_lat_lon(raw_lat: object, raw_lon: object) -> tuple[float, float]:
    """Validate a latitude/longitude pair from user input."""
    return (
        parse_coordinate("lat", raw_lat, limit=90.0),
        parse_coordinate("lon", raw_lon, limit=180.0),
    )


METRES_PER_DEGREE = 111_320.0


def degrees_margin(lat: float, distance_m: float) -> float:
    """A distance in degrees that is at least `distance_m` metres in every direction at `lat`.

    Only for index-friendly prefilters (ST_DWithin on geometry); exact tests use metres.
    """
    cos_lat = max(math.cos(math.radians(lat)), 0.01)
    return 1.1 * distance_m / (METRES_PER_DEGREE * cos_lat)


def point(lat: float, lon: float) -> Point:
    """A WGS84 GEOS point from latitude and longitude (note GEOS's x=lon, y=lat order)."""
    return Point(lon, lat, srid=WGS84)


def lat_lon(pt: Point) -> tuple[float, float]:
    """(lat, lon) of a WGS84 GEOS point, the order Leaflet and folium expect."""
    return (pt.y, pt.x)


EARTH_RADIUS_M = 6_371_008.8


def distance_m(a: Point, b: Point) -> float:
    """Great-circle metres between two WGS84 points (haversine; ample for a city)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.y, a.x, b.y, b.x))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def bearing_deg(a: Point, b: Point) -> float:
    """Initial compass bearing from a to b, 0 to 360 degrees clockwise from north."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.y, a.x, b.y, b.x))
    y = math.sin(lon2 - lon1) * math.cos(lat2)
    x = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(lon2 - lon1)
    return (math.degrees(math.atan2(y, x)) + 360.0) % 360.0


# The public position of a sensitive report (crime): the centre of its cell on a fixed grid of
# 0.001° (about 111 m; square near the equator, where Indonesia lies). A fixed grid, not random
# jitter: every public output of a report is the same cell centre, so no number of requests,
# distances or averages can say more than which cell the report is in (jitter redrawn per
# request averages away; jitter drawn once is still a guess centred on the true point).
SENSITIVE_GRID_DEG = 0.001
# The guarantee: a cell centre is at most half a cell's diagonal from the true point, and the
# true point is anywhere in its cell. Figures below in metres, for the tests and docs.
SENSITIVE_PRECISION_M = 100


def snap_to_grid(
    lat: float, lon: float, *, grid_deg: float = SENSITIVE_GRID_DEG
) -> tuple[float, float]:
    """(lat, lon) moved to the nearest point of the grid, as PostGIS's ST_SnapToGrid does."""
    # round() is half-to-even like PostgreSQL's rint(), so Python and SQL pick the same cell.
    return (
        round(round(lat / grid_deg) * grid_deg, 9),
        round(round(lon / grid_deg) * grid_deg, 9),
    )
