"""Reading a kelurahan layer (GeoJSON, Shapefile, anything GDAL opens) into plain records."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from django.contrib.gis.gdal import DataSource, GDALException, OGRGeometry, SpatialReference
from django.contrib.gis.gdal.feature import Feature
from django.contrib.gis.gdal.layer import Layer
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon

from geo_klik.lib import geo

# Where each value comes from: source field names tried in order, case-insensitively. The first
# name is the one the shared Bukittinggi layers use; then the names of BIG's RBI/KUGI
# administrative layers (NAMOBJ, WADMKD, KDEPUM, ...), then common spellings, then the 10-character
# names ogr2ogr gives the long fields when it writes a Shapefile. Add a name here to load a file
# whose columns are called differently (see data/kelurahan_boundaries/README.md).
FIELD_MAPPING: dict[str, tuple[str, ...]] = {
    "name": (
        "kelurahan",
        "nama_kelurahan",
        "nama_kel",
        "namobj",
        "wadmkd",
        "desa",
        "nama_desa",
        "nama",
        "name",
    ),
    "code_kemendagri": ("kode_kemendagri", "kode_kemen", "kode_kel", "kode_desa", "kdepum"),
    "kecamatan": ("kecamatan", "nama_kecamatan", "nama_kec", "wadmkc"),
    "kecamatan_code_kemendagri": ("kode_kec_kemendagri", "kode_kec_k", "kode_kec", "kdcpum"),
    "kota": ("kota", "kabupaten_kota", "kab_kota", "nama_kota", "wadmkk"),
    "province": ("provinsi", "province", "wadmpr"),
    "code_bps": ("kode_bps", "kode_desa_bps"),
    "kecamatan_code_bps": ("kode_kec_bps", "kode_kec_b"),
    "label_lat": ("label_lat",),
    "label_lon": ("label_lon",),
    "source": ("sumber", "source"),
}
REQUIRED_FIELDS = ("name", "code_kemendagri", "kecamatan", "kota")

# Other spellings of the same kelurahan / kecamatan, all collected into ``name_variants``.
# ``kelurahan_``/``keluraha_1`` are kelurahan_bps/kelurahan_rtrw after Shapefile truncation.
KELURAHAN_VARIANT_FIELDS = (
    "kelurahan_bps",
    "kelurahan_rtrw",
    "kelurahan_",
    "keluraha_1",
    "nama_lain",
    "alias",
)
KECAMATAN_VARIANT_FIELDS = ("kecamatan_bps", "kecamatan_rtrw", "kecamatan_", "kecamata_1")

# Kemendagri province codes, used when the layer carries no province name.
PROVINCES_BY_CODE = {
    "11": "Aceh",
    "12": "Sumatera Utara",
    "13": "Sumatera Barat",
    "14": "Riau",
    "15": "Jambi",
    "16": "Sumatera Selatan",
    "17": "Bengkulu",
    "18": "Lampung",
    "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau",
    "31": "DKI Jakarta",
    "32": "Jawa Barat",
    "33": "Jawa Tengah",
    "34": "DI Yogyakarta",
    "35": "Jawa Timur",
    "36": "Banten",
    "51": "Bali",
    "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan",
    "64": "Kalimantan Timur",
    "65": "Kalimantan Utara",
    "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah",
    "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara",
    "75": "Gorontalo",
    "76": "Sulawesi Barat",
    "81": "Maluku",
    "82": "Maluku Utara",
}

KELURAHAN_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
SHAPEFILE_SIDECARS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx")


class SourceError(Exception):
    """The source file is missing or unreadable, or lacks a required field."""

    def __init__(self, message_id: str, message_en: str) -> None:
        super().__init__(f"{message_id} / {message_en}")
        self.message_id = message_id
        self.message_en = message_en


@dataclass
class SourceFeature:
    """One kelurahan as read from the layer, in WGS84, before any check of its geometry."""

    index: int
    name: str
    code_kemendagri: str
    kecamatan: str
    kecamatan_code_kemendagri: str
    kota: str
    kota_code_kemendagri: str
    province: str = ""
    code_bps: str = ""
    kecamatan_code_bps: str = ""
    kota_code_bps: str = ""
    name_variants: list[str] = field(default_factory=list)
    kecamatan_variants: list[str] = field(default_factory=list)
    label_point: Point | None = None
    source: str = ""
    geometry: GEOSGeometry | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def boundary(self) -> MultiPolygon:
        """The checked geometry: the importer makes it a valid MultiPolygon before using it."""
        if not isinstance(self.geometry, MultiPolygon):
            raise TypeError(f"{self.title} has no checked MultiPolygon yet")
        return self.geometry

    @property
    def title(self) -> str:
        """How the report names this feature: code and name, or its position in the file."""
        if self.code_kemendagri or self.name:
            return f"{self.code_kemendagri or '?'} {self.name or '?'}".strip()
        return f"feature #{self.index}"


@dataclass
class SourceLayer:
    """Every feature of one layer plus what the report needs to say about the file."""

    path: Path
    layer_name: str
    srs: str
    features: list[SourceFeature]
    warnings: list[str] = field(default_factory=list)


def source_files(path: Path) -> list[Path]:
    """The files that make up a source: a Shapefile's sidecars, a directory's files, or itself."""
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file())
    if path.suffix.lower() == ".shp":
        return sorted(
            p
            for p in path.parent.glob(f"{glob_escape(path.stem)}.*")
            if p.suffix.lower() in SHAPEFILE_SIDECARS
        )
    return [path]


def glob_escape(text: str) -> str:
    """``text`` with glob metacharacters escaped."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def open_layer(path: Path) -> tuple[DataSource, Layer]:
    """The first layer of ``path``; SourceError naming the file if GDAL cannot read it."""
    if not path.exists():
        raise SourceError(
            f"Berkas batas wilayah tidak ditemukan: {path}",
            f"Boundary file not found: {path}",
        )
    try:
        data_source = DataSource(str(path))
        layer = data_source[0]
    except (GDALException, IndexError) as exc:
        raise SourceError(
            f"Berkas tidak dapat dibaca sebagai lapisan GIS: {path} ({exc})",
            f"File cannot be read as a GIS layer: {path} ({exc})",
        ) from exc
    return data_source, layer


def resolve_fields(layer_fields: list[str]) -> dict[str, str]:
    """Map each target in FIELD_MAPPING to the layer's own field name (case kept)."""
    by_lower = {name.lower(): name for name in layer_fields}
    resolved: dict[str, str] = {}
    for target, candidates in FIELD_MAPPING.items():
        for candidate in candidates:
            if candidate in by_lower:
                resolved[target] = by_lower[candidate]
                break
    missing = [target for target in REQUIRED_FIELDS if target not in resolved]
    if missing:
        wanted = "; ".join(f"{t}: {' / '.join(FIELD_MAPPING[t])}" for t in missing)
        found = ", ".join(layer_fields) or "-"
        raise SourceError(
            f"Kolom wajib tidak ada ({wanted}). Kolom di berkas: {found}",
            f"Required field missing ({wanted}). Fields in the file: {found}",
        )
    return resolved


def read_layer(path: Path) -> SourceLayer:
    """Read every feature of the first layer of ``path`` into SourceFeature records."""
    data_source, layer = open_layer(path)
    mapping = resolve_fields([str(name) for name in layer.fields])
    variant_fields = {name.lower(): name for name in layer.fields}
    warnings: list[str] = []
    if len(data_source) > 1:
        warnings.append(f"The file has {len(data_source)} layers; only the first was read.")
    srs = cast("SpatialReference | None", layer.srs)  # None when the file has no CRS
    if srs is None:
        warnings.append("The layer has no coordinate system; assumed WGS84 (EPSG:4326).")
    srs_name = f"EPSG:{srs.srid}" if srs is not None and srs.srid else (srs.name if srs else "")
    features = [
        read_feature(index, feature, mapping, variant_fields, transform=srs is not None)
        for index, feature in enumerate(iter_features(layer), start=1)
    ]
    del data_source  # GDAL closes the file once the DataSource is gone
    return SourceLayer(
        path=path,
        layer_name=str(layer.name),
        srs=srs_name or "unknown",
        features=features,
        warnings=warnings,
    )


def iter_features(layer: Layer) -> Iterator[Feature]:
    """The layer's features; a thin wrapper so typing stays in one place."""
    yield from layer


def read_feature(
    index: int,
    feature: Feature,
    mapping: dict[str, str],
    layer_fields: dict[str, str],
    *,
    transform: bool,
) -> SourceFeature:
    """One SourceFeature, with any problem with its attributes or geometry type recorded."""
    values = {target: text(feature, name) for target, name in mapping.items()}
    code = normalise_code(values.get("code_kemendagri", ""))
    record = SourceFeature(
        index=index,
        name=clean_name(values.get("name", "")),
        code_kemendagri=code,
        kecamatan=clean_name(values.get("kecamatan", "")),
        kecamatan_code_kemendagri=normalise_code(values.get("kecamatan_code_kemendagri", ""))
        or code[:8],
        kota=clean_name(values.get("kota", "")),
        kota_code_kemendagri=code[:5],
        province=clean_name(values.get("province", "")) or PROVINCES_BY_CODE.get(code[:2], ""),
        code_bps=values.get("code_bps", ""),
        source=values.get("source", ""),
    )
    record.kecamatan_code_bps = values.get("kecamatan_code_bps", "") or record.code_bps[:7]
    record.kota_code_bps = record.kecamatan_code_bps[:4]
    record.name_variants = variants(feature, layer_fields, KELURAHAN_VARIANT_FIELDS)
    record.kecamatan_variants = variants(feature, layer_fields, KECAMATAN_VARIANT_FIELDS)
    record.label_point = label_point(values.get("label_lat", ""), values.get("label_lon", ""))
    check_attributes(record)
    record.geometry = read_geometry(feature, record, transform=transform)
    return record


def text(feature: Feature, field_name: str) -> str:
    """A field's value as stripped text ('' for null), whatever its OGR type."""
    value = feature.get(field_name)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and "kode" in field_name.lower():
        value = int(value)  # a code column typed as a number in a spreadsheet export
    return str(value).strip()


def clean_name(raw: str) -> str:
    """Collapse whitespace; names are kept in the spelling the source uses."""
    return " ".join(raw.split())


def normalise_code(raw: str) -> str:
    """A Kemendagri code in dotted form: '1375011001' becomes '13.75.01.1001'."""
    code = raw.strip()
    if re.fullmatch(r"\d{10}", code):
        return f"{code[:2]}.{code[2:4]}.{code[4:6]}.{code[6:]}"
    if re.fullmatch(r"\d{6}", code):
        return f"{code[:2]}.{code[2:4]}.{code[4:6]}"
    return code


def variants(
    feature: Feature, layer_fields: dict[str, str], candidates: tuple[str, ...]
) -> list[str]:
    """The non-empty values of the variant-spelling fields present in the layer."""
    found = []
    for candidate in candidates:
        if candidate in layer_fields and (
            value := clean_name(text(feature, layer_fields[candidate]))
        ):
            found.append(value)
    return found


def label_point(raw_lat: str, raw_lon: str) -> Point | None:
    """The source's label point, or None when it gives none or gives nonsense."""
    if not raw_lat or not raw_lon:
        return None
    try:
        lat, lon = geo.parse_lat_lon(raw_lat, raw_lon)
    except geo.InvalidCoordinates:
        return None
    return geo.point(lat, lon)


def check_attributes(record: SourceFeature) -> None:
    """Record every problem with the attributes that makes the feature unusable."""
    if not record.name:
        record.problems.append("no kelurahan name")
    if not KELURAHAN_CODE.match(record.code_kemendagri):
        record.problems.append(
            f"Kemendagri code {record.code_kemendagri!r} is not of the form 13.75.01.1001"
        )
    elif record.kecamatan_code_kemendagri != record.code_kemendagri[:8]:
        record.problems.append(
            f"kecamatan code {record.kecamatan_code_kemendagri} does not prefix "
            f"kelurahan code {record.code_kemendagri}"
        )
    if not record.kecamatan:
        record.problems.append("no kecamatan name")
    if not record.kota:
        record.problems.append("no kota name")


def read_geometry(
    feature: Feature, record: SourceFeature, *, transform: bool
) -> GEOSGeometry | None:
    """The feature's geometry as 2D WGS84 GEOS, or None with the reason recorded."""
    try:
        ogr: OGRGeometry = feature.geom
        ogr.set_3d(False)  # PolygonZ Shapefiles: heights play no part in boundaries
        if transform:
            ogr.transform(geo.WGS84)
        geometry = ogr.geos
    except GDALException as exc:
        record.problems.append(f"unreadable geometry ({exc})")
        return None
    geometry.srid = geo.WGS84
    if geometry.empty:
        record.problems.append("empty geometry")
        return None
    if not isinstance(geometry, Polygon | MultiPolygon):
        record.problems.append(f"geometry is a {geometry.geom_type}, not a polygon")
        return None
    xmin, ymin, xmax, ymax = geometry.extent
    if not all(math.isfinite(c) for c in (xmin, ymin, xmax, ymax)):
        record.problems.append("geometry has non-finite coordinates")
        return None
    if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
        record.problems.append(
            "coordinates are not longitude/latitude (is the Shapefile's .prj missing?)"
        )
        return None
    return geometry
