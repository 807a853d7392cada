"""Indonesia's national boundary layers: convert upstream SQL, fetch, verify and install them.

The three national files (kab/kota, kecamatan, desa/kelurahan; newline-delimited GeoJSON, gzip)
are too big for git. They are made from the SQL files of GitHub ``cahyadsn/wilayah_boundaries`` at
one pinned commit, listed with their sizes and git blob SHA-1s in
``data/kelurahan_boundaries/indonesia/upstream.json``, which also holds the sha256 of each
national file's *decompressed* content. A local copy and a converted download are checked against
that same figure. See ``data/kelurahan_boundaries/indonesia/README.md``.

Nothing here needs Django except :func:`default_target` and :func:`default_local_copy`.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import hashlib
import http.client
import json
import math
import os
import re
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from tqdm import tqdm

from geo_klik.boundaries import catalog

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data" / "kelurahan_boundaries"
MANIFEST_PATH = DATA_DIR / "indonesia" / "upstream.json"
SUMBAR_DIR = DATA_DIR / "sumatera_barat"

LEVELS = ("kab", "kec", "kel")
FOLDERS = {"kab": "db/kab/", "kec": "db/kec/", "kel": "db/kel/"}
NATIONAL_FILES = {
    "kab": "indonesia_kabkota.geojsonl.gz",
    "kec": "indonesia_kecamatan.geojsonl.gz",
    "kel": "indonesia_desa.geojsonl.gz",
}
SUMBAR_FILES = {
    "kab": "sumbar_kabkota.geojson",
    "kec": "sumbar_kecamatan.geojson",
    "kel": "sumbar_desa.geojson",
}
SUMBAR_PROVINCE = "13"
CODE_PATTERNS = {
    "kab": re.compile(r"\d{2}\.\d{2}"),
    "kec": re.compile(r"\d{2}\.\d{2}\.\d{2}"),
    "kel": re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}"),
}
STAMP_NAME = ".installed.json"
LOCK_NAME = ".lock"
CACHE_DIR_NAME = "upstream"
MAX_SQL_BYTES = 32 * 1024 * 1024  # the biggest upstream file is 3.2 MB
DECIMALS = 7
FETCH_COMMAND = "manage.py fetch_national_boundaries"


class NationalError(Exception):
    """A user-facing failure, in Bahasa Indonesia and English."""

    def __init__(self, message_id: str, message_en: str) -> None:
        super().__init__(f"{message_id} / {message_en}")
        self.message_id = message_id
        self.message_en = message_en


# --------------------------------------------------------------------------------------------
# SQL -> GeoJSON features
# --------------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
     (?P<ws>\s+)
    |(?P<comment>/\*.*?\*/|--[^\n]*|\#[^\n]*)
    |(?P<str>'[^'\\]*(?:(?:''|\\.)[^'\\]*)*')
    |(?P<num>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
    |(?P<word>[A-Za-z_][A-Za-z_0-9]*|`[^`]*`)
    |(?P<punct>[(),;])
    |(?P<op>[=<>!]+|[*.%+/-])
    """,
    re.S | re.X,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "Z": "\x1a", "b": "\b"}
_ESCAPE = re.compile(r"\\(.)|''", re.S)
_REQUIRED_COLUMNS = ("kode", "nama", "path")


@dataclass(frozen=True)
class Row:
    """One upstream ``INSERT`` row: the values this converter uses."""

    kode: str
    nama: str
    path: str
    line: int
    spaced: bool  # whitespace between the row's values (see ``published_compat``)


@dataclass
class ConversionReport:
    """What a conversion did: features written, rows left out (code, file, reason)."""

    features: int = 0
    rows: int = 0
    skipped: list[tuple[str, str, str]] = field(default_factory=list)
    padded_rings: int = 0
    closed_rings: int = 0
    dropped_rings: int = 0


def _sql_error(name: str, line: int, what_id: str, what_en: str) -> NationalError:
    return NationalError(
        f"Berkas SQL {name} tidak bisa dibaca (baris {line}): {what_id}",
        f"Cannot read SQL file {name} (line {line}): {what_en}",
    )


def _unquote(literal: str) -> str:
    def one(match: re.Match[str]) -> str:
        char = match.group(1)
        if char is None:
            return "'"
        return _ESCAPES.get(char, char)

    return _ESCAPE.sub(one, literal[1:-1])


def parse_sql(data: bytes, name: str) -> Iterator[Row]:
    """The rows of every ``INSERT INTO wilayah_boundaries`` statement in one upstream SQL file.

    ``DELETE`` statements and comments are skipped; anything else is refused with a
    :class:`NationalError` naming the file and line (never another exception).
    """
    if len(data) > MAX_SQL_BYTES:
        raise _sql_error(
            name, 1, f"lebih dari {MAX_SQL_BYTES} byte", f"more than {MAX_SQL_BYTES} bytes"
        )
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise _sql_error(name, line, "berisi byte NUL", "contains a NUL byte")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _sql_error(name, line, "bukan UTF-8", "not UTF-8") from None
    yield from _Parser(text, name).rows()


class _Parser:
    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        self.pos = 0
        self.spaced = False

    def line(self, pos: int | None = None) -> int:
        return self.text.count("\n", 0, self.pos if pos is None else pos) + 1

    def error(self, what_id: str, what_en: str, pos: int | None = None) -> NationalError:
        return _sql_error(self.name, self.line(pos), what_id, what_en)

    def next(self) -> tuple[str, str]:
        """The next significant lexeme as (kind, text); ("eof", "") at the end."""
        text = self.text
        while self.pos < len(text):
            match = _TOKEN.match(text, self.pos)
            if match is None:
                char = text[self.pos]
                if char == "'":
                    raise self.error("string tidak ditutup", "unterminated string")
                if text.startswith("/*", self.pos):
                    raise self.error("komentar tidak ditutup", "unterminated comment")
                raise self.error(f"karakter tak terduga {char!r}", f"unexpected character {char!r}")
            self.pos = match.end()
            kind = match.lastgroup or ""
            if kind == "ws":
                self.spaced = True
            elif kind != "comment":
                return kind, match.group()
        return "eof", ""

    def expect(self, value: str) -> None:
        start = self.pos
        _kind, lexeme = self.next()
        if lexeme.upper() != value:
            raise self.error(
                f"diharapkan {value!r}, ditemukan {lexeme[:40]!r}",
                f"expected {value!r}, found {lexeme[:40]!r}",
                start,
            )

    def rows(self) -> Iterator[Row]:
        while True:
            start = self.pos
            kind, lexeme = self.next()
            if kind == "eof":
                return
            keyword = lexeme.upper()
            if kind == "punct" and lexeme == ";":
                continue
            if keyword == "DELETE":
                self.skip_statement()
            elif keyword == "INSERT":
                yield from self.insert()
            else:
                raise self.error(
                    f"pernyataan tak dikenal {lexeme[:40]!r}",
                    f"unknown statement {lexeme[:40]!r}",
                    start,
                )

    def skip_statement(self) -> None:
        while True:
            kind, lexeme = self.next()
            if kind == "eof":
                raise self.error("pernyataan tanpa ';'", "statement without ';'")
            if lexeme == ";":
                return

    def insert(self) -> Iterator[Row]:
        self.expect("INTO")
        kind, table = self.next()
        if table.strip("`").lower() != "wilayah_boundaries":
            raise self.error(f"tabel tak dikenal {table[:40]!r}", f"unknown table {table[:40]!r}")
        self.expect("(")
        columns: list[str] = []
        while True:
            kind, lexeme = self.next()
            if kind == "word":
                columns.append(lexeme.strip("`").lower())
            elif lexeme == ")":
                break
            elif lexeme != ",":
                raise self.error("daftar kolom rusak", "malformed column list")
        missing = [c for c in _REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise self.error(f"kolom {missing} tidak ada", f"columns {missing} missing")
        self.expect("VALUES")
        while True:
            yield self.row(columns)
            kind, lexeme = self.next()
            if lexeme == ";" or kind == "eof":
                return
            if lexeme != ",":
                raise self.error(
                    f"diharapkan ',' atau ';', ditemukan {lexeme[:40]!r}",
                    f"expected ',' or ';', found {lexeme[:40]!r}",
                )

    def row(self, columns: list[str]) -> Row:
        start = self.pos
        self.expect("(")
        self.spaced = False
        values: list[str | None] = []
        while True:
            kind, lexeme = self.next()
            if kind == "str":
                values.append(_unquote(lexeme))
            elif kind == "num" or lexeme.upper() in ("NULL", "TRUE", "FALSE"):
                values.append(None if lexeme.upper() == "NULL" else lexeme)
            elif kind == "eof":
                raise self.error("baris tidak ditutup", "unterminated row", start)
            else:
                raise self.error(
                    f"nilai tak terduga {lexeme[:40]!r}", f"unexpected value {lexeme[:40]!r}"
                )
            kind, lexeme = self.next()
            if lexeme == ")":
                break
            if lexeme != ",":
                raise self.error("baris tidak ditutup", "unterminated row", start)
        spaced = self.spaced
        if len(values) != len(columns):
            raise self.error(
                f"{len(values)} nilai untuk {len(columns)} kolom",
                f"{len(values)} values for {len(columns)} columns",
                start,
            )
        record = dict(zip(columns, values, strict=True))
        kode, nama, path = (record[c] for c in _REQUIRED_COLUMNS)
        if kode is None or nama is None:
            raise self.error("kode atau nama kosong", "empty kode or nama", start)
        return Row(kode, nama, path or "", self.line(start), spaced)


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > 15:
        raise ValueError("number too large")
    return int(text)


def _no_constant(text: str) -> float:
    raise ValueError(f"{text} is not a number")


def _position(value: Any) -> list[float]:
    """[lat, lng] (the source's order) -> [lng, lat] rounded, or ValueError."""
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError("a position is not [lat, lng]")
    lat, lng = value
    for number in value:
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise ValueError("a coordinate is not a number")
        if not math.isfinite(number):
            raise ValueError("a coordinate is not finite")
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValueError(f"coordinate out of range: [{lat}, {lng}]")
    return [round(lng, DECIMALS), round(lat, DECIMALS)]


def geometry(path: str, report: ConversionReport | None = None) -> dict[str, Any] | None:
    """GeoJSON geometry from an upstream ``path`` (rings of [lat, lng]), or None if nothing is left.

    Positions are swapped to [lng, lat] and rounded to 7 decimals. A ring whose first and last
    positions differ, or with fewer than 4 positions, gets its first position appended (as the
    published files do: a 3-position closed ring becomes a degenerate 4-position one); rings still
    shorter than 4 positions are dropped. One polygon -> Polygon, several -> MultiPolygon.
    Invalid geometries (self-intersections, collapsed rings) are kept as they are.
    Raises ValueError on anything that is not rings of numeric [lat, lng] pairs.
    """
    try:
        data = json.loads(path, parse_int=_parse_int, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"path is not JSON: {str(exc)[:80]}") from None
    if not isinstance(data, list) or not data:
        raise ValueError("path is not a list of rings")
    probe: Any = data
    depth = 0
    while isinstance(probe, list) and probe:
        probe = probe[0]
        depth += 1
    if depth == 3:
        polygons: list[Any] = [data]
    elif depth == 4:
        polygons = data
    else:
        raise ValueError(f"path nesting depth {depth}, expected 3 or 4")
    out: list[list[list[list[float]]]] = []
    for polygon in polygons:
        if not isinstance(polygon, list):
            raise ValueError("a polygon is not a list of rings")
        rings: list[list[list[float]]] = []
        for ring in polygon:
            if not isinstance(ring, list):
                raise ValueError("a ring is not a list of positions")
            positions = [_position(p) for p in ring]
            if positions and (len(positions) < 4 or positions[0] != positions[-1]):
                if report is not None:
                    if positions[0] != positions[-1]:
                        report.closed_rings += 1
                    else:
                        report.padded_rings += 1
                positions.append(positions[0])
            if len(positions) >= 4:
                rings.append(positions)
            elif report is not None:
                report.dropped_rings += 1
        if rings:
            out.append(rings)
    if not out:
        return None
    if len(out) == 1:
        return {"type": "Polygon", "coordinates": out[0]}
    return {"type": "MultiPolygon", "coordinates": out}


def feature_line(kode: str, nama: str, level: str, geom: dict[str, Any]) -> str:
    """One feature as the published files write it: compact JSON, keys in this order, no newline."""
    feature = {
        "type": "Feature",
        "properties": {
            "kode": kode,
            "nama": nama,
            "level": level,
            "parent": kode.rsplit(".", 1)[0],
        },
        "geometry": geom,
    }
    return json.dumps(feature, separators=(",", ":"))


def convert_sql(
    data: bytes,
    name: str,
    level: str,
    report: ConversionReport,
    *,
    published_compat: bool = True,
) -> Iterator[str]:
    """Feature lines (without newline) of one upstream SQL file of ``level`` (kab, kec or kel).

    ``published_compat`` (the default) leaves out, as the published national files do, rows whose
    values are separated by whitespace (``'kode', 'nama'`` or ``lat, lng``) and rows with an empty
    path: each is listed in ``report.skipped``. With False, spaced rows are converted too (the
    result then no longer matches the manifest's checksums).
    """
    pattern = CODE_PATTERNS[level]
    for row in parse_sql(data, name):
        report.rows += 1
        if not pattern.fullmatch(row.kode):
            raise _sql_error(
                name,
                row.line,
                f"kode {row.kode[:40]!r} bukan kode tingkat {level}",
                f"kode {row.kode[:40]!r} is not a {level}-level code",
            )
        if published_compat and row.spaced:
            report.skipped.append((row.kode, name, "spaced values"))
            continue
        if not row.path.strip():
            report.skipped.append((row.kode, name, "empty path"))
            continue
        try:
            geom = geometry(row.path, report)
        except ValueError as exc:
            raise _sql_error(
                name,
                row.line,
                f"geometri {row.kode} tidak sah: {exc}",
                f"geometry of {row.kode} is unusable: {exc}",
            ) from None
        if geom is None:
            report.skipped.append((row.kode, name, "no ring with 4 positions"))
            continue
        report.features += 1
        yield feature_line(row.kode, row.nama, level, geom)


# --------------------------------------------------------------------------------------------
# Manifest
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UpstreamFile:
    """One upstream SQL file: path in the repository, size and git blob SHA-1."""

    path: str
    size: int
    blob_sha1: str

    @property
    def level(self) -> str:
        return next(level for level, folder in FOLDERS.items() if self.path.startswith(folder))


@dataclass(frozen=True)
class NationalFile:
    """One national output file and the sha256/size/feature count of its decompressed content."""

    level: str
    name: str
    sha256: str
    size: int
    features: int


@dataclass(frozen=True)
class Manifest:
    """The pinned upstream and the expected national files."""

    repository: str
    commit: str
    base_url: str
    files: tuple[UpstreamFile, ...]
    outputs: dict[str, NationalFile]
    # Files shipped in the repository (the West Sumatra layers): name -> sha256.
    shipped: dict[str, str] = field(default_factory=dict)

    def url(self, path: str, base: str | None = None) -> str:
        if base is None:
            return self.base_url.format(commit=self.commit, path=path)
        return base.rstrip("/") + "/" + urllib.parse.quote(path)

    def level_files(self, level: str) -> list[UpstreamFile]:
        return sorted((f for f in self.files if f.level == level), key=lambda f: f.path)

    def as_json(self) -> dict[str, Any]:
        return {
            "repository": self.repository,
            "commit": self.commit,
            "base_url": self.base_url,
            "licence": "MIT, Copyright (c) 2024 Cahya DSN",
            "outputs": {
                level: {
                    "file": out.name,
                    "sha256_decompressed": out.sha256,
                    "bytes_decompressed": out.size,
                    "features": out.features,
                }
                for level, out in self.outputs.items()
            },
            "shipped": {
                name: {"path": f"data/kelurahan_boundaries/sumatera_barat/{name}", "sha256": sha}
                for name, sha in self.shipped.items()
            },
            "files": [
                {"path": f.path, "size": f.size, "blob_sha1": f.blob_sha1} for f in self.files
            ],
        }


def load_manifest(path: Path | None = None) -> Manifest:
    """The manifest (default: ``MANIFEST_PATH``), checked for shape; NationalError if unusable."""
    path = path or MANIFEST_PATH
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        files = tuple(
            UpstreamFile(str(f["path"]), int(f["size"]), str(f["blob_sha1"])) for f in raw["files"]
        )
        outputs = {
            level: NationalFile(
                level,
                str(out["file"]),
                str(out["sha256_decompressed"]),
                int(out["bytes_decompressed"]),
                int(out["features"]),
            )
            for level, out in raw["outputs"].items()
        }
        shipped = {str(name): str(entry["sha256"]) for name, entry in raw["shipped"].items()}
        manifest = Manifest(
            str(raw["repository"]),
            str(raw["commit"]),
            str(raw["base_url"]),
            files,
            outputs,
            shipped,
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NationalError(
            f"Manifest {path} tidak bisa dibaca: {exc}", f"Cannot read manifest {path}: {exc}"
        ) from None
    for f in files:
        if not any(f.path.startswith(folder) for folder in FOLDERS.values()) or ".." in f.path:
            raise NationalError(
                f"Manifest {path}: path tak sah {f.path!r}", f"Manifest {path}: bad path {f.path!r}"
            )
    if set(outputs) != set(LEVELS):
        raise NationalError(
            f"Manifest {path}: harus ada output kab, kec, kel",
            f"Manifest {path}: outputs kab, kec, kel required",
        )
    return manifest


def blob_sha1(data: bytes) -> str:
    """Git's blob id of ``data``: sha1(b"blob <size>\\0" + data)."""
    digest = hashlib.sha1(b"blob %d\0" % len(data), usedforsecurity=False)
    digest.update(data)
    return digest.hexdigest()


def upstream_files_in(root: Path) -> tuple[UpstreamFile, ...]:
    """The SQL files of an upstream tree on disk (``root/db/kab`` ...), sizes and blob SHA-1s."""
    found: list[UpstreamFile] = []
    for folder in FOLDERS.values():
        for path in sorted((root / folder).rglob("*.sql")):
            data = path.read_bytes()
            found.append(
                UpstreamFile(path.relative_to(root).as_posix(), len(data), blob_sha1(data))
            )
    return tuple(sorted(found, key=lambda f: f.path))


# --------------------------------------------------------------------------------------------
# Conversion into national files
# --------------------------------------------------------------------------------------------


def _gzip_writer(raw: IO[bytes]) -> gzip.GzipFile:
    return gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0)


def convert_level(
    level: str,
    sources: Iterable[tuple[str, Path]],
    out: Path,
    *,
    published_compat: bool = True,
    progress: bool = False,
) -> tuple[str, int, ConversionReport]:
    """Write the national file of ``level`` from (name, sql path) pairs, in the order given.

    Returns (sha256 of the decompressed content, its size, report). One SQL file is in memory at
    a time.
    """
    report = ConversionReport()
    digest = hashlib.sha256()
    size = 0
    items = list(sources)
    with out.open("wb") as raw, _gzip_writer(raw) as gz:
        bar = tqdm(items, desc=f"Konversi/convert {level}", unit="file", disable=not progress)
        for name, path in bar:
            data = path.read_bytes()
            for line in convert_sql(data, name, level, report, published_compat=published_compat):
                chunk = line.encode("utf-8") + b"\n"
                digest.update(chunk)
                size += len(chunk)
                gz.write(chunk)
    return digest.hexdigest(), size, report


def hash_national(path: Path) -> tuple[str, int, int]:
    """(sha256, size, lines) of a national file's decompressed content, streamed."""
    digest = hashlib.sha256()
    size = lines = 0
    try:
        with gzip.open(path, "rb") as gz:
            while chunk := gz.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
                lines += chunk.count(b"\n")
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
        raise NationalError(
            f"{path} bukan gzip yang utuh: {exc}", f"{path} is not an intact gzip file: {exc}"
        ) from None
    return digest.hexdigest(), size, lines


def _mismatch(what: str, expected: str, got: str) -> NationalError:
    return NationalError(
        f"Checksum tidak cocok untuk {what}: diharapkan {expected}, didapat {got}",
        f"Checksum mismatch for {what}: expected {expected}, got {got}",
    )


# --------------------------------------------------------------------------------------------
# Installed copy: stamp, check, atomic install
# --------------------------------------------------------------------------------------------


def _read_stamp(target: Path) -> dict[str, Any]:
    try:
        stamp = json.loads((target / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


def _write_stamp(target: Path, manifest: Manifest) -> None:
    files = {}
    for out in manifest.outputs.values():
        info = (target / out.name).stat()
        files[out.name] = {"size": info.st_size, "mtime_ns": info.st_mtime_ns, "sha256": out.sha256}
    _atomic_write_text(target / STAMP_NAME, json.dumps({"files": files}, indent=1) + "\n")


def _atomic_write_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def installed_ok(target: Path, manifest: Manifest, *, rehash: bool = False) -> bool:
    """Are the three national files in ``target`` the manifest's?

    Quick by default (sizes and mtimes against the stamp written at install). With ``rehash``,
    or when the stamp does not match, every file is decompressed and hashed; a verified copy gets
    a fresh stamp.
    """
    paths = [target / out.name for out in manifest.outputs.values()]
    if not all(p.is_file() for p in paths):
        return False
    if not rehash:
        stamped = _read_stamp(target).get("files", {})
        quick = True
        for out in manifest.outputs.values():
            entry = stamped.get(out.name) if isinstance(stamped, dict) else None
            info = (target / out.name).stat()
            if not (
                isinstance(entry, dict)
                and entry.get("sha256") == out.sha256
                and entry.get("size") == info.st_size
                and entry.get("mtime_ns") == info.st_mtime_ns
            ):
                quick = False
        if quick:
            return True
    for out in manifest.outputs.values():
        try:
            sha, _, _ = hash_national(target / out.name)
        except NationalError:
            return False
        if sha != out.sha256:
            return False
    _write_stamp(target, manifest)
    return True


def _install(staged: dict[str, Path], target: Path, manifest: Manifest) -> None:
    """Move verified temp files (same directory) into place, then stamp."""
    for name, tmp in staged.items():
        os.replace(tmp, target / name)
    _write_stamp(target, manifest)


def _staging(target: Path, name: str) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=target)
    os.close(fd)
    os.chmod(tmp, 0o644)  # mkstemp makes it 0600; installed data is world-readable like a copy
    return Path(tmp)


@dataclass
class FetchResult:
    """What :func:`fetch` did, for the command's final line."""

    action: str  # "already", "local", "upstream", "missing"
    target: Path
    files: int = 0
    megabytes: float = 0.0
    seconds: float = 0.0
    downloaded: int = 0
    reused: int = 0
    skipped_rows: list[tuple[str, str, str]] = field(default_factory=list)


LOCAL_COPY_FILES = tuple(NATIONAL_FILES.values())


def is_local_copy(directory: Path) -> bool:
    return all((directory / name).is_file() for name in LOCAL_COPY_FILES)


def install_from_local(
    source: Path, target: Path, manifest: Manifest, *, progress: bool = False
) -> FetchResult:
    """Verify the three ``.geojsonl.gz`` files of a local copy, then copy them in atomically."""
    started = time.monotonic()
    target.mkdir(parents=True, exist_ok=True)
    staged: dict[str, Path] = {}
    total = 0
    try:
        for out in manifest.outputs.values():
            src = source / out.name
            if not src.is_file():
                raise NationalError(
                    f"Salinan lokal {source} tidak punya {out.name}",
                    f"Local copy {source} has no {out.name}",
                )
            if progress:
                print(f"Memeriksa/checking {src}", file=sys.stderr)
            sha, _, _ = hash_national(src)
            if sha != out.sha256:
                raise _mismatch(str(src), out.sha256, sha)
            tmp = staged[out.name] = _staging(target, out.name)
            shutil.copyfile(src, tmp)
            # The copy is what gets installed: check it too (a flaky disk, a file changed since).
            copied, _, _ = hash_national(tmp)
            if copied != out.sha256:
                raise _mismatch(str(tmp), out.sha256, copied)
            total += tmp.stat().st_size
        _install(staged, target, manifest)
    finally:
        for tmp in staged.values():
            with contextlib.suppress(OSError):
                tmp.unlink()
    return FetchResult(
        "local", target, len(staged), total / 1e6, time.monotonic() - started, reused=len(staged)
    )


# --------------------------------------------------------------------------------------------
# Download from the pinned upstream (or a mirror of its tree)
# --------------------------------------------------------------------------------------------

USER_AGENT = "geo_klik-fetch_national_boundaries/1"


@dataclass(frozen=True)
class Network:
    """Download settings: per-request timeout (s), attempts per file, first backoff (s), threads."""

    timeout: float = 30.0
    attempts: int = 4
    backoff: float = 1.0
    workers: int = 4


DEFAULT_NETWORK = Network()


class _Unrecoverable(Exception):
    """A download error no retry will fix (HTTP 4xx, a malformed URL)."""


class _Retry(Exception):
    """A transient download error: worth another attempt."""


class _BadContent(Exception):
    """The server answered, but not with the expected bytes (size or blob SHA-1)."""


def _download_once(url: str, expected: UpstreamFile, timeout: float) -> bytes:
    try:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            data: bytes = response.read(expected.size + 1)
    except urllib.error.HTTPError as exc:
        if 400 <= exc.code < 500 and exc.code not in (408, 429):
            raise _Unrecoverable(f"HTTP {exc.code} {exc.reason}") from None
        raise _Retry(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:  # refused, DNS, TLS, ...
        raise _Retry(str(exc.reason)) from None
    except (OSError, http.client.HTTPException) as exc:  # timeouts, resets, truncated bodies
        raise _Retry(str(exc) or type(exc).__name__) from None
    except ValueError as exc:  # urllib's "unknown url type", http.client.InvalidURL
        raise _Unrecoverable(f"URL: {exc}") from None
    if len(data) != expected.size:
        raise _BadContent(f"size {len(data)} instead of {expected.size}")
    sha = blob_sha1(data)
    if sha != expected.blob_sha1:
        raise _BadContent(f"blob SHA-1 {sha} instead of {expected.blob_sha1}")
    return data


def _download(url: str, expected: UpstreamFile, dest: Path, net: Network) -> None:
    """Download one file, verify size and blob SHA-1, then put it at ``dest`` atomically.

    Retries transient errors and wrong content (a proxy may have mangled it) with exponential
    backoff; a 4xx answer is final.
    """
    last: Exception = _Retry("no attempt")
    for attempt in range(net.attempts):
        if attempt:
            time.sleep(net.backoff * 2 ** (attempt - 1))
        try:
            data = _download_once(url, expected, net.timeout)
        except _Unrecoverable as exc:
            last = exc
            break
        except (_Retry, _BadContent) as exc:
            last = exc
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, part = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(part, dest)
        return
    if isinstance(last, _BadContent):
        raise NationalError(
            f"Checksum tidak cocok untuk {url} ({last}); tidak ada yang dipasang",
            f"Checksum mismatch for {url} ({last}); nothing installed",
        )
    raise NationalError(
        f"Gagal mengunduh {url}: {last}; tidak ada yang dipasang",
        f"Download failed for {url}: {last}; nothing installed",
    )


def _cached_ok(path: Path, expected: UpstreamFile) -> bool:
    try:
        if path.stat().st_size != expected.size:
            return False
        return blob_sha1(path.read_bytes()) == expected.blob_sha1
    except OSError:
        return False


def download_upstream(
    manifest: Manifest,
    cache: Path,
    *,
    base: str | None = None,
    net: Network | None = None,
    progress: bool = False,
) -> tuple[int, int]:
    """Every manifest file into ``cache`` (verified); files already there and verified are kept.

    Returns (downloaded, reused). On failure the verified files stay, so the next call resumes.
    """
    net = net or DEFAULT_NETWORK
    todo = [f for f in manifest.files if not _cached_ok(cache / f.path, f)]
    reused = len(manifest.files) - len(todo)
    if not todo:
        return 0, reused
    bar = tqdm(
        total=sum(f.size for f in todo),
        desc="Unduh/download",
        unit="B",
        unit_scale=True,
        disable=not progress,
    )
    with bar, ThreadPoolExecutor(max_workers=net.workers) as pool:
        futures: dict[Future[None], UpstreamFile] = {
            pool.submit(_download, manifest.url(f.path, base), f, cache / f.path, net): f
            for f in todo
        }
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in done:
                if future.exception() is None:
                    bar.update(futures[future].size)
            failed = [f for f in done if f.exception() is not None]
            if failed:
                for future in pending:
                    future.cancel()
                wait(pending)
                error = failed[0].exception()
                assert error is not None  # noqa: S101 (narrowing for mypy)
                raise error
    return len(todo), reused


def install_from_upstream(
    manifest: Manifest,
    target: Path,
    *,
    base: str | None = None,
    keep_downloads: bool = False,
    net: Network | None = None,
    progress: bool = False,
) -> FetchResult:
    """Download (resuming from ``target/upstream``), convert, verify, install atomically."""
    started = time.monotonic()
    target.mkdir(parents=True, exist_ok=True)
    cache = target / CACHE_DIR_NAME
    downloaded, reused = download_upstream(manifest, cache, base=base, net=net, progress=progress)
    staged: dict[str, Path] = {}
    skipped: list[tuple[str, str, str]] = []
    try:
        for level in LEVELS:
            out = manifest.outputs[level]
            tmp = staged[out.name] = _staging(target, out.name)
            sources = [(f.path, cache / f.path) for f in manifest.level_files(level)]
            sha, _, report = convert_level(level, sources, tmp, progress=progress)
            if sha != out.sha256:
                raise _mismatch(f"{out.name} (hasil konversi/converted)", out.sha256, sha)
            skipped += report.skipped
        total = sum(tmp.stat().st_size for tmp in staged.values())
        _install(staged, target, manifest)
    finally:
        for tmp in staged.values():
            with contextlib.suppress(OSError):
                tmp.unlink()
    if not keep_downloads:
        shutil.rmtree(cache, ignore_errors=True)
    return FetchResult(
        "upstream",
        target,
        len(staged),
        total / 1e6,
        time.monotonic() - started,
        downloaded=downloaded,
        reused=reused,
        skipped_rows=skipped,
    )


# --------------------------------------------------------------------------------------------
# Entry point and the West Sumatra check
# --------------------------------------------------------------------------------------------


def default_target() -> Path:
    """``settings.GEO_KLIK_NATIONAL_DIR`` if set, else ``<repo>/var/data/indonesia``."""
    from django.conf import settings

    default = Path(settings.BASE_DIR) / "var" / "data" / "indonesia"
    return Path(getattr(settings, "GEO_KLIK_NATIONAL_DIR", default))


def default_local_copy() -> Path:
    """The project machines' shared copy: ``<repo>/../shared/data/indonesia``."""
    from django.conf import settings

    return Path(settings.BASE_DIR).parent / "shared" / "data" / "indonesia"


def is_url(source: str) -> bool:
    return urllib.parse.urlsplit(source).scheme in ("http", "https", "file")


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    """One fetch per target at a time (another waits, then usually finds the files installed)."""
    target.mkdir(parents=True, exist_ok=True)
    with (target / LOCK_NAME).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def fetch(
    target: Path,
    *,
    source: str | None = None,
    local_copy: Path | None = None,
    local_only: bool = False,
    keep_downloads: bool = False,
    manifest: Manifest | None = None,
    net: Network | None = None,
    progress: bool = False,
) -> FetchResult:
    """Make sure ``target`` holds the verified national files, holding ``target/.lock`` meanwhile.

    Order without ``source``: an installed verified copy; ``local_copy`` if it holds the three
    files; the pinned upstream (not with ``local_only``: then the result's action is "missing").
    ``source`` is a local copy directory or the URL of a mirror of the upstream tree.
    """
    with _locked(target):
        manifest = manifest or load_manifest()
        started = time.monotonic()
        if source is not None:
            if is_url(source):
                if local_only:
                    raise NationalError(
                        "--local-only tidak bisa dipakai dengan URL",
                        "--local-only cannot take a URL",
                    )
                if installed_ok(target, manifest):
                    return FetchResult("already", target, 3, seconds=time.monotonic() - started)
                return install_from_upstream(
                    manifest,
                    target,
                    base=source,
                    keep_downloads=keep_downloads,
                    net=net,
                    progress=progress,
                )
            directory = Path(source)
            if not is_local_copy(directory):
                needed = ", ".join(LOCAL_COPY_FILES)
                raise NationalError(
                    f"{directory} bukan salinan lokal (perlu {needed}) dan bukan URL",
                    f"{directory} is not a local copy (needs {needed}) nor a URL",
                )
            if installed_ok(target, manifest):
                return FetchResult("already", target, 3, seconds=time.monotonic() - started)
            return install_from_local(directory, target, manifest, progress=progress)
        if installed_ok(target, manifest):
            return FetchResult("already", target, 3, seconds=time.monotonic() - started)
        if local_copy is not None and is_local_copy(local_copy):
            return install_from_local(local_copy, target, manifest, progress=progress)
        if local_only:
            return FetchResult("missing", target)
        return install_from_upstream(
            manifest, target, keep_downloads=keep_downloads, net=net, progress=progress
        )


_PROVINCE = re.compile(rb'^\{"type":"Feature","properties":\{"kode":"(\d\d)\.')


def province_collection(national: Path, province: str = SUMBAR_PROVINCE) -> Iterator[bytes]:
    """The features of one province from a national file, as the shipped ``sumbar_*.geojson``.

    That is a FeatureCollection with one feature per line: ``{"type":"FeatureCollection",
    "features":[``, the feature lines joined by ``,\\n``, then ``]}``.
    """
    yield b'{"type":"FeatureCollection","features":[\n'
    first = True
    with gzip.open(national, "rb") as lines:
        for line in lines:
            match = _PROVINCE.match(line)
            code = match.group(1).decode() if match else None
            if code is None:
                code = str(json.loads(line)["properties"]["kode"])[:2]
            if code != province:
                continue
            yield (b"" if first else b",\n") + line.rstrip(b"\n")
            first = False
    yield b"\n]}\n"


def check_sumbar(national_dir: Path, sumbar_dir: Path = SUMBAR_DIR) -> list[str]:
    """Shipped West Sumatra files that differ from the national files filtered to province 13.

    Returns the names of those that differ (empty: all equal).
    """
    differing = []
    for level in LEVELS:
        digest = hashlib.sha256()
        for chunk in province_collection(national_dir / NATIONAL_FILES[level]):
            digest.update(chunk)
        if digest.hexdigest() != catalog.file_sha256(sumbar_dir / SUMBAR_FILES[level]):
            differing.append(SUMBAR_FILES[level])
    return differing


def dump_manifest(manifest: Manifest, path: Path) -> None:
    _atomic_write_text(path, json.dumps(manifest.as_json(), indent=1) + "\n")


def measure_outputs(directory: Path) -> dict[str, NationalFile]:
    """sha256, size and line count of the national files in ``directory`` (for the manifest)."""
    outputs = {}
    for level in LEVELS:
        sha, size, lines = hash_national(directory / NATIONAL_FILES[level])
        outputs[level] = NationalFile(level, NATIONAL_FILES[level], sha, size, lines)
    return outputs
