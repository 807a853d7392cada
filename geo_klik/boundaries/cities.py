"""Which kota or kabupaten geo_klik serves: chosen by its Kemendagri code (``GEO_KLIK_CITY``).

A city is data, not code. Its name, province and boundaries come from the provincial layers
shipped in ``data/kelurahan_boundaries/sumatera_barat/`` (West Sumatra, province 13) or, for any
other province, from the national layers when ``fetch_national_boundaries`` has installed them.
The default city (``13.75``) keeps its own layer rule (catalog.choose(): the city's
official RTRW layer when present, else the shipped one); any other city is loaded from its
kelurahan/desa in the provincial layer, written once as a standard kelurahan layer file under
``var/data/cities/`` so the one importer (repairs, overlaps, gaps, upsert by code) loads it.

The Kota row whose code is the configured one is "the city" everywhere at run time (name,
centre, bounds); ``Kota`` is keyed by Kemendagri code, so serving several (a province) can
follow without a singleton to undo.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from geo_klik.boundaries import catalog
from geo_klik.boundaries.sources import SourceError

DEFAULT_CODE = "13.75"
KABKOTA_CODE = re.compile(r"[0-9]{2}\.[0-9]{2}")
PROVINCE_CODE = re.compile(r"[0-9]{2}")
SHIPPED_PROVINCE = "13"
SHIPPED_FILES = {
    "kab": "sumatera_barat/sumbar_kabkota.geojson",
    "kec": "sumatera_barat/sumbar_kecamatan.geojson",
    "kel": "sumatera_barat/sumbar_desa.geojson",
}
NATIONAL_FILES = {
    "kab": "indonesia_kabkota.geojsonl.gz",
    "kec": "indonesia_kecamatan.geojsonl.gz",
    "kel": "indonesia_desa.geojsonl.gz",
}
MAX_SETTING_LENGTH = 64


class CityError(SourceError):
    """GEO_KLIK_CITY names no kota/kabupaten geo_klik can serve, or the database serves another."""


@dataclass(frozen=True)
class City:
    """A kota or kabupaten: its Kemendagri code and its names as the boundary data spells them."""

    code: str
    name: str  # "Kota X" or "Kabupaten Y", as the data spells it
    province: str

    @property
    def is_kabupaten(self) -> bool:
        return self.name.startswith("Kabupaten")

    @property
    def short_name(self) -> str:
        """The name without "Kota"/"Kabupaten"."""
        for prefix in ("Kota ", "Kabupaten "):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.short_name.lower()).strip("-")

    @property
    def province_code(self) -> str:
        return self.code[:2]


def parse_code(raw: str) -> str:
    """The kab/kota code in ``raw`` (a GEO_KLIK_CITY value); CityError with a clear reason."""
    value = raw.strip()
    shown = repr(value[:MAX_SETTING_LENGTH])
    if not value or len(value) > MAX_SETTING_LENGTH or not value.isprintable():
        raise CityError(
            f"GEO_KLIK_CITY={shown} tidak valid: tulis kode Kemendagri kota/kabupaten, mis. 13.76.",
            f"GEO_KLIK_CITY={shown} is invalid: give a kota/kabupaten Kemendagri code, e.g. 13.76.",
        )
    if "," in value or PROVINCE_CODE.fullmatch(value):
        raise CityError(
            f"GEO_KLIK_CITY={shown}: satu instalasi untuk beberapa kota/kabupaten atau satu "
            "provinsi belum tersedia; pilih satu kode kota/kabupaten, mis. 13.75.",
            f"GEO_KLIK_CITY={shown}: serving several kab/kota or a whole province on one "
            "deployment is not built yet; choose one kab/kota code, e.g. 13.75.",
        )
    if not KABKOTA_CODE.fullmatch(value):
        raise CityError(
            f"GEO_KLIK_CITY={shown} bukan kode kota/kabupaten (bentuknya 13.76).",
            f"GEO_KLIK_CITY={shown} is not a kab/kota code (of the form 13.76).",
        )
    return value


def data_root() -> Path:
    return catalog.data_root()


def national_dir() -> Path:
    return Path(settings.GEO_KLIK_NATIONAL_DIR)


def layer_file(province: str, level: str) -> Path | None:
    """The GeoJSON file of one level of a province: shipped, or cut from the national layers.

    None when the province is not shipped and the national layers are not installed.
    """
    if province == SHIPPED_PROVINCE:
        return data_root() / SHIPPED_FILES[level]
    national = national_dir() / NATIONAL_FILES[level]
    if not national.is_file():
        return None
    target = cities_dir() / "provinces" / f"{province}_{level}.geojson"
    if not target.is_file() or target.stat().st_mtime < national.stat().st_mtime:
        from geo_klik.boundaries import national as national_layers

        _write_atomically(target, b"".join(national_layers.province_collection(national, province)))
    return target


def cities_dir() -> Path:
    return Path(settings.VAR_DIR) / "data" / "cities"


@cache
def features(path: Path) -> tuple[dict[str, Any], ...]:
    """Every feature of a provincial layer file (read once per process)."""
    with open(path, encoding="utf-8") as handle:
        return tuple(json.load(handle)["features"])


def kabkota_names(province: str) -> dict[str, str]:
    """Code -> name of every kab/kota of a province in the data geo_klik has."""
    path = layer_file(province, "kab")
    if path is None:
        return {}
    return {f["properties"]["kode"]: f["properties"]["nama"] for f in features(path)}


def national_kabkota_names() -> dict[str, str]:
    """Code -> name of every kab/kota of Indonesia, when the national layers are installed."""
    path = national_dir() / NATIONAL_FILES["kab"]
    if not path.is_file():
        return {}
    names = {}
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            properties = json.loads(line)["properties"]
            names[properties["kode"]] = properties["nama"]
    return names


def find(code: str) -> City:
    """The kab/kota of a code; CityError when no data geo_klik has knows it."""
    from geo_klik.boundaries import sources

    names = kabkota_names(code[:2]) or (
        national_kabkota_names() if code[:2] != SHIPPED_PROVINCE else {}
    )
    if code not in names:
        where = (
            "Sumatera Barat (13.xx)"
            if not national_dir().joinpath(NATIONAL_FILES["kab"]).is_file()
            else "Indonesia"
        )
        raise CityError(
            f"GEO_KLIK_CITY={code}: tidak ada kota/kabupaten dengan kode ini di data batas wilayah "
            f"({where}). Data nasional: manage.py fetch_national_boundaries.",
            f"GEO_KLIK_CITY={code}: no kab/kota has this code in the boundary data ({where}). "
            "For the national layers: manage.py fetch_national_boundaries.",
        )
    return City(code=code, name=names[code], province=sources.PROVINCES_BY_CODE.get(code[:2], ""))


def configured() -> City:
    """The city ``GEO_KLIK_CITY`` names (default 13.75); CityError for a value it cannot serve."""
    return find(parse_code(str(settings.GEO_KLIK_CITY)))


def layer_choice(city: City) -> catalog.LayerChoice:
    """The kelurahan layer of ``city``: the default city's rule, a configured file, or its
    kelurahan/desa cut from the provincial layer."""
    setting = str(settings.GEO_KLIK_BOUNDARY_LAYER).strip()
    if city.code == DEFAULT_CODE or setting not in (*catalog.KEYWORDS, ""):
        return catalog.choose()
    path = write_city_layer(city)
    return catalog.LayerChoice(
        path=path,
        kind="city",
        reason_id=f"kelurahan/desa {city.name} dari lapisan provinsi",
        reason_en=f"{city.name}'s kelurahan/desa from the provincial layer",
        info=catalog.LayerInfo(
            title=f"Kelurahan/desa {city.name}, cahyadsn/wilayah_boundaries @3c5a796 "
            "(Kepmendagri 300.2.2-2138/2025 codes)",
            licence="MIT",
            notice="Copyright (c) 2024 Cahya DSN",
            quality_id="Disederhanakan; tumpang tindih dan celah diselesaikan oleh importer.",
            quality_en="Simplified; overlaps and gaps are resolved by the importer.",
            known=True,
        ),
        repair=True,
    )


def write_city_layer(city: City) -> Path:
    """Write (when it differs) the kelurahan layer of ``city`` in the importer's field names."""
    kel_path, kec_path = (
        layer_file(city.province_code, "kel"),
        layer_file(city.province_code, "kec"),
    )
    if kel_path is None or kec_path is None:
        raise CityError(
            f"Lapisan provinsi {city.province_code} tidak ada: "
            "manage.py fetch_national_boundaries.",
            f"No layers for province {city.province_code}: manage.py fetch_national_boundaries.",
        )
    kecamatan = {
        f["properties"]["kode"]: f["properties"]["nama"]
        for f in features(kec_path)
        if f["properties"]["parent"] == city.code
    }
    rows = [
        {
            "type": "Feature",
            "properties": {
                "kelurahan": f["properties"]["nama"],
                "kode_kemendagri": f["properties"]["kode"],
                "kecamatan": kecamatan.get(f["properties"]["parent"], f["properties"]["parent"]),
                "kode_kec": f["properties"]["parent"],
                "kota": city.name,
                "provinsi": city.province,
                "sumber": f"{kel_path.name} (cahyadsn/wilayah_boundaries, MIT)",
            },
            "geometry": f["geometry"],
        }
        for f in features(kel_path)
        if f["properties"]["parent"][:5] == city.code
    ]
    if not rows:
        raise CityError(
            f"{city.name} ({city.code}) tidak punya kelurahan/desa di lapisan provinsi.",
            f"{city.name} ({city.code}) has no kelurahan/desa in the provincial layer.",
        )
    rows.sort(key=lambda row: row["properties"]["kode_kemendagri"])
    text = json.dumps({"type": "FeatureCollection", "features": rows}, ensure_ascii=False)
    target = cities_dir() / city.code / "kelurahan.geojson"
    data = text.encode("utf-8")
    if not target.is_file() or target.read_bytes() != data:
        _write_atomically(target, data)
    return target


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.{os.getpid()}")
    staged.write_bytes(data)
    os.replace(staged, target)


def check_database(city: City) -> None:
    """Refuse to load ``city`` into a database that already serves another kab/kota."""
    from geo_klik.boundaries.models import Kota

    others = list(
        Kota.objects.exclude(code_kemendagri=city.code).values_list("code_kemendagri", "name")
    )
    if not others:
        return
    served = ", ".join(f"{name} ({code})" for code, name in others)
    raise CityError(
        f"Basis data ini sudah melayani {served}; GEO_KLIK_CITY={city.code} ({city.name}) tidak "
        "dicampur ke dalamnya. Pakai basis data baru untuk kota ini (mis. `make clean-var` lalu "
        f"`GEO_KLIK_CITY={city.code} make run`, atau DATABASE_URL lain), atau kembalikan "
        "GEO_KLIK_CITY ke kota yang dilayani.",
        f"This database already serves {served}; GEO_KLIK_CITY={city.code} ({city.name}) is not "
        "mixed into it. Use a new database for this city (e.g. `make clean-var` then "
        f"`GEO_KLIK_CITY={city.code} make run`, or another DATABASE_URL), or set GEO_KLIK_CITY "
        "back to the city it serves.",
    )


@dataclass(frozen=True)
class Served:
    """The city this deployment serves, as the pages and messages name and show it."""

    code: str
    name: str  # "Kota X"
    short_name: str  # "X"
    centre_lat: float | None
    centre_lon: float | None
    bounds: tuple[float, float, float, float] | None  # south, west, north, east

    @property
    def centre(self) -> list[float] | None:
        """[lat, lon] for Leaflet, or None before boundaries are loaded."""
        if self.centre_lat is None or self.centre_lon is None:
            return None
        return [self.centre_lat, self.centre_lon]


_SERVED: dict[str, tuple[float, Served]] = {}
SERVED_TTL_S = 60.0  # a renamed Kota (admin) shows within a minute in every process


def served() -> Served:
    """The configured city: its Kota row when loaded, else its name from the data (cached)."""
    import time

    code = str(settings.GEO_KLIK_CITY).strip()
    now = time.monotonic()
    cached = _SERVED.get(code)
    if cached is not None and now - cached[0] < SERVED_TTL_S:
        return cached[1]
    result = _read_served(code)
    _SERVED[code] = (now, result)
    return result


def forget_served() -> None:
    """Drop the cached city (after loading boundaries, and in tests)."""
    _SERVED.clear()


_SERVED_SQL = """
SELECT code_kemendagri, name, province, ST_X(inside), ST_Y(inside),
       ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box)
FROM (SELECT code_kemendagri, name, province, ST_PointOnSurface(k.boundary) AS inside,
             Box2D(k.boundary) AS box, code_kemendagri = %s AS configured, id
      FROM boundaries_kota k) AS kota
ORDER BY configured DESC, id
LIMIT 1
"""


def _read_served(code: str) -> Served:
    from django.db import connection

    # The city's centre and bounds come from PostGIS: its polygon itself is never sent here.
    with connection.cursor() as cursor:
        cursor.execute(_SERVED_SQL, [code])
        row = cursor.fetchone()
    if row is not None:
        kota_code, name, province, x, y, xmin, ymin, xmax, ymax = row
        city = City(kota_code, name, province)
        return Served(city.code, city.name, city.short_name, y, x, (ymin, xmin, ymax, xmax))
    try:
        city = configured()
    except CityError:
        city = City(code, code, "")
    return Served(city.code, city.name, city.short_name, None, None, None)


def choice_for(layer: str | None, *, check: bool = True) -> catalog.LayerChoice:
    """The layer a command loads without a path: ``auto`` (or None) is the configured city's
    layer; ``official``/``shipped`` name the default city's two layers, refused for another
    city, whose database they would mix (CityError)."""
    city = configured()
    if check:
        check_database(city)
    if layer in (None, "", catalog.AUTO):
        return layer_choice(city)
    if city.code != DEFAULT_CODE:
        raise CityError(
            f"--layer {layer} adalah lapisan kota bawaan ({DEFAULT_CODE}), bukan {city.name}: "
            "pakai --layer auto atau path berkas.",
            f"--layer {layer} is a layer of the default city ({DEFAULT_CODE}), not {city.name}'s: "
            "use --layer auto or the path of a file.",
        )
    return catalog.choose(layer)
