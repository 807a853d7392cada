"""Shared fixtures: a tiny hand-checkable city, and the real Bukittinggi kelurahan.

``tiny_city`` is Kota Contoh (code 99.01, not a real kota, so it never collides with 13.75),
four 0.01° squares on the equator near lon 100 (0.01° is about 1.1 km), two kecamatan of two
kelurahan each. Every shared edge and corner is a value that appears verbatim in both polygons, so a
point on it is exactly on both boundaries:

    lat \\ lon   100.00          100.01          100.02
      0.00   +---------------+---------------+
             | 99.01.01.1001 | 99.01.02.1001 |
             | Barat Utara   | Timur Utara   |
     -0.01   +---------------+---------------+
             | 99.01.01.1002 | 99.01.02.1002 |
             | Barat Selatan | Timur Selatan |
     -0.02   +---------------+---------------+
              Kecamatan Barat  Kecamatan Timur
              (99.01.01)       (99.01.02)
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import connection

from geo_klik.boundaries import catalog, cities, importer, topology
from geo_klik.boundaries.models import Kecamatan, Kelurahan, Kota
from geo_klik.lib import geo

# Staff personas for the control-room tests (tests/personas.py).
pytest_plugins = ["tests.personas", "tests.browser.fixtures"]

# (code, name, kecamatan code, west lon, south lat); every square is 0.01° by 0.01°.
TINY_KELURAHAN = [
    ("99.01.01.1001", "Barat Utara", "99.01.01", 100.00, -0.01),
    ("99.01.01.1002", "Barat Selatan", "99.01.01", 100.00, -0.02),
    ("99.01.02.1001", "Timur Utara", "99.01.02", 100.01, -0.01),
    ("99.01.02.1002", "Timur Selatan", "99.01.02", 100.01, -0.02),
]
TINY_KECAMATAN = {"99.01.01": "Barat", "99.01.02": "Timur"}
TINY_STEP = 0.01


@pytest.fixture(autouse=True)
def _forget_served_city() -> Iterator[None]:
    """The served city (name, centre) is cached per process; each test loads its own Kota."""
    cities.forget_served()
    yield
    cities.forget_served()


def square(west: float, south: float, *, size: float = TINY_STEP) -> Polygon:
    """A WGS84 square from its south-west corner, counter-clockwise."""
    east, north = round(west + size, 10), round(south + size, 10)
    ring = ((west, south), (east, south), (east, north), (west, north), (west, south))
    return Polygon(ring, srid=geo.WGS84)


@dataclass
class TinyCity:
    """The rows of the tiny city, by name."""

    kota: Kota
    kecamatan: dict[str, Kecamatan]
    kelurahan: dict[str, Kelurahan]


@pytest.fixture
def tiny_city(db: None) -> TinyCity:
    """Kota Contoh: four square kelurahan in two kecamatan (see the module docstring)."""
    squares = {code: square(west, south) for code, _, _, west, south in TINY_KELURAHAN}
    kota = Kota.objects.create(
        name="Kota Contoh",
        province="Contoh",
        code_kemendagri="99.01",
        code_bps="9901",
        boundary=topology.union(squares.values(), srid=geo.WGS84),
        boundary_derived=True,
    )
    kecamatan = {
        name: Kecamatan.objects.create(
            kota=kota,
            name=name,
            name_variants=[name],
            code_kemendagri=code,
            boundary=topology.union(
                (squares[k] for k, *_ in TINY_KELURAHAN if k.startswith(code)), srid=geo.WGS84
            ),
            boundary_derived=True,
        )
        for code, name in TINY_KECAMATAN.items()
    }
    measured = topology.measure([(code, name, squares[code]) for code, name, *_ in TINY_KELURAHAN])
    kelurahan = {
        name: Kelurahan.objects.create(
            kecamatan=kecamatan[TINY_KECAMATAN[kecamatan_code]],
            name=name,
            name_variants=[name],
            code_kemendagri=code,
            code_bps=code.replace(".", ""),
            boundary=MultiPolygon(squares[code], srid=geo.WGS84),
            label_point=squares[code].centroid,
            area_m2=measured.areas_m2[code],
        )
        for code, name, kecamatan_code, _, _ in TINY_KELURAHAN
    }
    return TinyCity(kota=kota, kecamatan=kecamatan, kelurahan=kelurahan)


OFFICIAL_LAYER_MISSING = (
    "needs the city's official RTRW kelurahan layer "
    "(GEO_KLIK_DATA_DIR/bukittinggi_kelurahan.geojson, ../shared/data/bukittinggi on the project's "
    "machines), which has no licence to be in the repository; this checkout has none beside it"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``@pytest.mark.official_layer`` tests are skipped, with the reason, without that layer."""
    if catalog.official_path().is_file():
        return
    for item in items:
        if item.get_closest_marker("official_layer"):
            item.add_marker(pytest.mark.skip(reason=OFFICIAL_LAYER_MISSING))


@pytest.fixture
def bukittinggi(db: None) -> importer.ImportReport:
    """Bukittinggi's real kelurahan, loaded through the importer (committed) from the layer the
    start-up rule picks: the official RTRW layer when present, else the MIT layer shipped in the
    repository. Tests of facts only the official layer has are marked ``official_layer``.

    Function-scoped so every test starts from the same rows and rolls them back; it costs about
    0.3 s. Works in transactional tests (``live_server``) too: pytest-django then flushes instead.
    """
    report = importer.import_layer(catalog.choose(catalog.AUTO).path, commit=True)
    assert report.committed, report.as_text()
    return report


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def postgres_unreachable(transactional_db: None) -> Iterator[None]:
    """Point the default connection at a closed port for the test's duration.

    Django connects per request (no pool in the process: PgBouncer pools outside it), so closing
    the current connection is enough for the next one to meet the closed port.
    """
    saved = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(closed_port())
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"] = saved
