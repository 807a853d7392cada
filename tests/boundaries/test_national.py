"""National boundary layers: SQL converter, manifest, verified fetch from a fake upstream, command.

Everything runs on a tiny fake upstream written into tmp_path and served from a loopback HTTP
server; no test needs the internet, the upstream mirror or ../shared. Tests of the real local copy
are skipped when ../shared/data/indonesia is absent.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import http.server
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from geo_klik.boundaries import catalog, national
from tests.conftest import closed_port

# ---------------------------------------------------------------------------------------------
# The fake upstream: four SQL files in the upstream's format, and the lines they must give.
# ---------------------------------------------------------------------------------------------

KAB_SQL = """/*
filename  : db/kab/wilayah_boundaries_kab_13.sql -- a 'quote' in a comment is no string
*/
DELETE FROM wilayah_boundaries WHERE kode BETWEEN '13.00' AND '13.99' AND LENGTH(kode)=5;
INSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES
\t('13.06','Kabupaten Agam',-0.25,100.1,'[[[[-0.4,100.0],[-0.4,100.1],[-0.35,100.1],[-0.4,100.0]]],\
[[[-0.2,100.2],[-0.2,100.3],[-0.15,100.3],[-0.2,100.2]]]]'),
\t('13.75','Kota Bukittinggi',-0.3,100.37,'[[[[-0.123456789,100.987654321],[-0.3,100.4],\
[-0.25,100.4],[-0.123456789,100.987654321]]]]');
"""
KEC_SQL = """INSERT INTO wilayah_boundaries (kode,nama,lat,lng,path) VALUES
\t('13.75.01','Guguk Panjang',-0.3,100.37,'[[[-0.3,100.36],[-0.3,100.38],[-0.29,100.38],\
[-0.29,100.36]],[[-0.295,100.365],[-0.295,100.37],[-0.295,100.365]],[[-0.296,100.366],\
[-0.296,100.367]]]'),
\t('13.75.02', 'Mandiangin Koto Selayan', -0.28, 100.37, '[[[-0.28,100.36],[-0.28,100.38],\
[-0.27,100.38],[-0.28,100.36]]]');
"""
KEL13_SQL = """INSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES
\t('13.75.01.1001','Bukit Cangang Kayu Ramang',-0.3,100.37,'[[[-0.3,100.37],[-0.3,100.371],\
[-0.299,100.371],[-0.3,100.37]]]'),
\t('13.75.01.1002','Koto''Gadang',-0.3,100.37,'[[[-0.31,100.37],[-0.31,100.371],[-0.309,100.371],\
[-0.31,100.37]]]'),
\t('13.75.01.1003','Kosong',-0.3,100.37,'');
"""
KEL14_SQL = """INSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES
\t('14.71.01.1001','Sukajadi',0.5,101.4,'[[[0.5,101.4],[0.5,101.5],[0.6,101.5],[0.5,101.4]]]');
"""
SQL = {
    "db/kab/wilayah_boundaries_kab_13.sql": KAB_SQL,
    "db/kec/wilayah_boundaries_kec_13.sql": KEC_SQL,
    "db/kel/13/wilayah_boundaries_kel_13.75.sql": KEL13_SQL,
    "db/kel/14/wilayah_boundaries_kel_14.71.sql": KEL14_SQL,
}

# Written by hand from the rules: [lat, lng] -> [lng, lat], 7 decimals, rings closed (a closed
# 3-position ring padded to 4), shorter rings dropped, one polygon -> Polygon, spaced rows and
# empty paths left out as in the published files.
EXPECTED = {
    "kab": [
        '{"type":"Feature","properties":{"kode":"13.06","nama":"Kabupaten Agam","level":"kab",'
        '"parent":"13"},"geometry":{"type":"MultiPolygon","coordinates":[[[[100.0,-0.4],'
        "[100.1,-0.4],[100.1,-0.35],[100.0,-0.4]]],[[[100.2,-0.2],[100.3,-0.2],[100.3,-0.15],"
        "[100.2,-0.2]]]]}}",
        '{"type":"Feature","properties":{"kode":"13.75","nama":"Kota Bukittinggi","level":"kab",'
        '"parent":"13"},"geometry":{"type":"Polygon","coordinates":[[[100.9876543,-0.1234568],'
        "[100.4,-0.3],[100.4,-0.25],[100.9876543,-0.1234568]]]}}",
    ],
    "kec": [
        '{"type":"Feature","properties":{"kode":"13.75.01","nama":"Guguk Panjang","level":"kec",'
        '"parent":"13.75"},"geometry":{"type":"Polygon","coordinates":[[[100.36,-0.3],'
        "[100.38,-0.3],[100.38,-0.29],[100.36,-0.29],[100.36,-0.3]],[[100.365,-0.295],"
        "[100.37,-0.295],[100.365,-0.295],[100.365,-0.295]]]}}",
    ],
    "kel": [
        '{"type":"Feature","properties":{"kode":"13.75.01.1001","nama":"Bukit Cangang Kayu Ramang",'
        '"level":"kel","parent":"13.75.01"},"geometry":{"type":"Polygon","coordinates":'
        "[[[100.37,-0.3],[100.371,-0.3],[100.371,-0.299],[100.37,-0.3]]]}}",
        '{"type":"Feature","properties":{"kode":"13.75.01.1002","nama":"Koto\'Gadang",'
        '"level":"kel","parent":"13.75.01"},"geometry":{"type":"Polygon","coordinates":'
        "[[[100.37,-0.31],[100.371,-0.31],[100.371,-0.309],[100.37,-0.31]]]}}",
        '{"type":"Feature","properties":{"kode":"14.71.01.1001","nama":"Sukajadi",'
        '"level":"kel","parent":"14.71.01"},"geometry":{"type":"Polygon","coordinates":'
        "[[[101.4,0.5],[101.5,0.5],[101.5,0.6],[101.4,0.5]]]}}",
    ],
}


def content(level: str) -> bytes:
    return "".join(line + "\n" for line in EXPECTED[level]).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decompressed(path: Path) -> bytes:
    with gzip.open(path, "rb") as handle:
        return handle.read()


@dataclass
class Upstream:
    """The fake upstream tree, its manifest, and a loopback server for it."""

    root: Path
    manifest: national.Manifest
    manifest_path: Path
    files: dict[str, bytes]
    url: str = ""
    requests: list[str] = field(default_factory=list)
    # path -> "404", "500", "tamper", "slow" (longer than the timeout), "short" (truncated body)
    broken: dict[str, str] = field(default_factory=dict)


def make_manifest(root: Path, outputs: dict[str, bytes] | None = None) -> national.Manifest:
    data = outputs or {level: content(level) for level in national.LEVELS}
    return national.Manifest(
        "fake/wilayah_boundaries",
        "0" * 40,
        "http://127.0.0.1:9/{commit}/{path}",
        national.upstream_files_in(root),
        {
            level: national.NationalFile(
                level,
                national.NATIONAL_FILES[level],
                sha256(data[level]),
                len(data[level]),
                data[level].count(b"\n"),
            )
            for level in national.LEVELS
        },
    )


@pytest.fixture
def upstream(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Upstream]:
    root = tmp_path / "tree"
    files = {}
    for path, text in SQL.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
        files[path] = text.encode()
    manifest = make_manifest(root)
    manifest_path = tmp_path / "upstream.json"
    national.dump_manifest(manifest, manifest_path)
    fake = Upstream(root, national.load_manifest(manifest_path), manifest_path, files)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            # The client may have given up (the "slow" case): nothing to tell it then.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.answer()

        def answer(self) -> None:
            path = self.path.lstrip("/")
            fake.requests.append(path)
            how = fake.broken.get(path)
            if how == "slow":
                time.sleep(1.0)
            if path not in fake.files or how == "404":
                self.send_error(404)
                return
            if how == "500":
                self.send_error(500)
                return
            body = fake.files[path]
            if how == "tamper":
                body = body.replace(b"100.37", b"100.38")
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:-10] if how == "short" else body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    monkeypatch.setenv("no_proxy", "*")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setattr(national, "DEFAULT_NETWORK", FAST)
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


FAST = national.Network(timeout=0.3, attempts=2, backoff=0.01, workers=2)


def fetch(upstream: Upstream, target: Path, **kwargs: object) -> national.FetchResult:
    source = kwargs.pop("source", upstream.url)
    return national.fetch(
        target,
        source=str(source),
        manifest=upstream.manifest,
        net=FAST,
        **kwargs,  # type: ignore[arg-type]
    )


def national_files(target: Path) -> list[str]:
    """Files where the installed ones go (no temp files, no stamp)."""
    bookkeeping = {".installed.json", ".lock"}
    return sorted(p.name for p in target.glob("*") if p.is_file() and p.name not in bookkeeping)


def write_local_copy(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for level in national.LEVELS:
        with gzip.open(directory / national.NATIONAL_FILES[level], "wb") as handle:
            handle.write(content(level))
    return directory


# ---------------------------------------------------------------------------------------------
# The converter
# ---------------------------------------------------------------------------------------------


def test_it_converts_a_hand_checked_example() -> None:
    report = national.ConversionReport()
    kab = list(national.convert_sql(KAB_SQL.encode(), "kab_13.sql", "kab", report))
    kec = list(national.convert_sql(KEC_SQL.encode(), "kec_13.sql", "kec", report))

    assert kab == EXPECTED["kab"]
    assert kec == EXPECTED["kec"]
    assert report.features == 3
    assert report.rows == 4
    assert report.skipped == [("13.75.02", "kec_13.sql", "spaced values")]
    assert (report.closed_rings, report.padded_rings, report.dropped_rings) == (2, 1, 1)


def test_it_converts_spaced_rows_when_not_imitating_the_published_files() -> None:
    report = national.ConversionReport()
    lines = list(
        national.convert_sql(KEC_SQL.encode(), "kec.sql", "kec", report, published_compat=False)
    )

    assert [json.loads(line)["properties"]["kode"] for line in lines] == ["13.75.01", "13.75.02"]
    assert report.skipped == []


def test_it_leaves_out_empty_paths_and_keeps_quotes_in_names() -> None:
    report = national.ConversionReport()
    lines = list(national.convert_sql(KEL13_SQL.encode(), "kel.sql", "kel", report))

    assert lines == EXPECTED["kel"][:2]
    assert report.skipped == [("13.75.01.1003", "kel.sql", "empty path")]


def row(path: str, kode: str = "13.75") -> bytes:
    return (
        "INSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES\n"
        f"\t('{kode}','X',0,0,'{path}');\n"
    ).encode()


SQUARE = "[[[0.1,100.1],[0.1,100.2],[0.2,100.2],[0.1,100.1]]]"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (row(SQUARE).replace(b"'X'", b"'X\0'"), "NUL"),
        (row(SQUARE.replace("0.2,100.2", "1e999,100.2")), "not finite"),
        (row(SQUARE.replace("0.2,100.2", "1" * 5000 + ",100.2")), "too large"),
        (row(SQUARE.replace("0.2,100.2", "95.0,100.2")), "out of range"),
        (row(SQUARE.replace("0.2,100.2", "NaN,100.2")), "not a number"),
        (row(SQUARE)[:-40], "unterminated string"),
        (row(SQUARE).replace(b");", b""), "unterminated"),
        (row(SQUARE).replace(b"'X'", b"'\xff'"), "not UTF-8"),
        (b"DROP TABLE wilayah_boundaries;", "unknown statement"),
        (b"INSERT INTO users(kode,nama,path) VALUES ('13.75','X','[]');", "unknown table"),
        (row("[[[[[0,0]]]]]"), "depth"),
        (row("[[[0.1,100.1,5],[0.1,100.2],[0.2,100.2],[0.1,100.1]]]"), "[lat, lng]"),
        (row('[[["a",100.1],[0.1,100.2],[0.2,100.2],[0.1,100.1]]]'), "not a number"),
        (row("[" * 100000 + "]" * 100000), "path"),
        (row("{}"), "not a list"),
        (row(SQUARE, kode="13.75.01"), "not a kab-level code"),
        (row(SQUARE).replace(b"'X',0,0,", b"'X',0,"), "values for 5 columns"),
        (b"\x00" * 10, "NUL"),
    ],
)
def test_it_refuses_hostile_sql_naming_the_file(data: bytes, reason: str) -> None:
    report = national.ConversionReport()

    with pytest.raises(national.NationalError) as raised:
        list(national.convert_sql(data, "db/kab/evil.sql", "kab", report))

    message = str(raised.value)
    assert "db/kab/evil.sql" in message
    assert reason in message
    assert "Berkas SQL" in message  # Indonesian first, then English
    assert message.index("Berkas SQL") < message.index("Cannot read SQL file")


def test_it_converts_short_rings_per_the_rules_and_skips_a_feature_left_empty() -> None:
    only_short = row("[[[0.1,100.1],[0.2,100.2]]]")
    three = row("[[[0.1,100.1],[0.2,100.2],[0.3,100.1]]]")
    report = national.ConversionReport()

    assert list(national.convert_sql(only_short, "a.sql", "kab", report)) == []
    assert report.skipped == [("13.75", "a.sql", "no ring with 4 positions")]
    (line,) = national.convert_sql(three, "b.sql", "kab", report)
    ring = json.loads(line)["geometry"]["coordinates"][0]
    assert ring == [[100.1, 0.1], [100.2, 0.2], [100.1, 0.3], [100.1, 0.1]]


def test_it_refuses_an_oversized_sql_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(national, "MAX_SQL_BYTES", 100)

    with pytest.raises(national.NationalError, match=r"big\.sql"):
        list(national.convert_sql(row(SQUARE), "big.sql", "kab", national.ConversionReport()))


def test_it_computes_git_blob_ids() -> None:
    # `printf 'hello\n' | git hash-object --stdin`, and the empty blob
    assert national.blob_sha1(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"
    assert national.blob_sha1(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"


# ---------------------------------------------------------------------------------------------
# Fetch from the (fake) upstream
# ---------------------------------------------------------------------------------------------


def test_it_fetches_converts_verifies_and_installs_exactly_the_expected_lines(
    upstream: Upstream, tmp_path: Path
) -> None:
    target = tmp_path / "national"

    result = fetch(upstream, target)

    assert result.action == "upstream"
    assert (result.files, result.downloaded, result.reused) == (3, 4, 0)
    assert national_files(target) == sorted(national.NATIONAL_FILES.values())
    for level, name in national.NATIONAL_FILES.items():
        data = decompressed(target / name)
        assert data == content(level)
        assert sha256(data) == upstream.manifest.outputs[level].sha256
    assert sorted(code for code, _, _ in result.skipped_rows) == ["13.75.01.1003", "13.75.02"]
    assert not (target / "upstream").exists()  # the download cache is gone after success
    assert national.installed_ok(target, upstream.manifest, rehash=True)


def test_it_keeps_downloads_when_asked_and_does_nothing_once_installed(
    upstream: Upstream, tmp_path: Path
) -> None:
    target = tmp_path / "national"
    fetch(upstream, target, keep_downloads=True)
    upstream.requests.clear()

    again = fetch(upstream, target)

    assert sorted(
        p.relative_to(target / "upstream").as_posix() for p in (target / "upstream").rglob("*.sql")
    ) == sorted(SQL)
    assert again.action == "already"
    assert upstream.requests == []


def test_it_re_verifies_a_changed_installed_file(upstream: Upstream, tmp_path: Path) -> None:
    target = tmp_path / "national"
    fetch(upstream, target)
    desa = target / national.NATIONAL_FILES["kel"]
    with gzip.open(desa, "wb") as handle:
        handle.write(content("kel").replace(b"Sukajadi", b"Sukajodi"))

    assert not national.installed_ok(target, upstream.manifest)
    fetch(upstream, target)

    assert decompressed(desa) == content("kel")


def test_it_resumes_after_an_interrupted_download(upstream: Upstream, tmp_path: Path) -> None:
    target = tmp_path / "national"
    upstream.broken["db/kel/14/wilayah_boundaries_kel_14.71.sql"] = "500"

    with pytest.raises(national.NationalError, match="Gagal mengunduh"):
        fetch(upstream, target)

    assert national_files(target) == []
    cached = sorted(p.name for p in (target / "upstream").rglob("*") if p.is_file())
    assert "wilayah_boundaries_kel_14.71.sql" not in cached
    upstream.broken.clear()
    upstream.requests.clear()
    result = fetch(upstream, target)

    assert (result.downloaded, result.reused) == (1, 3)
    assert upstream.requests == ["db/kel/14/wilayah_boundaries_kel_14.71.sql"]
    assert decompressed(target / national.NATIONAL_FILES["kel"]) == content("kel")


def test_it_refuses_a_tampered_blob_and_installs_nothing(
    upstream: Upstream, tmp_path: Path
) -> None:
    target = tmp_path / "national"
    upstream.broken["db/kel/13/wilayah_boundaries_kel_13.75.sql"] = "tamper"

    with pytest.raises(national.NationalError) as raised:
        fetch(upstream, target)

    assert "Checksum tidak cocok" in str(raised.value)
    assert "Checksum mismatch" in str(raised.value)
    assert "wilayah_boundaries_kel_13.75.sql" in str(raised.value)
    assert national_files(target) == []
    assert not list((target / "upstream").rglob("wilayah_boundaries_kel_13.75.sql*"))


def test_it_refuses_a_wrong_final_checksum(upstream: Upstream, tmp_path: Path) -> None:
    target = tmp_path / "national"
    wrong = dict(upstream.manifest.outputs)
    wrong["kec"] = replace(wrong["kec"], sha256="0" * 64)
    manifest = replace(upstream.manifest, outputs=wrong)

    with pytest.raises(national.NationalError) as raised:
        national.fetch(target, source=upstream.url, manifest=manifest, net=FAST)

    assert "Checksum tidak cocok untuk indonesia_kecamatan.geojsonl.gz" in str(raised.value)
    assert "Checksum mismatch for indonesia_kecamatan.geojsonl.gz" in str(raised.value)
    assert national_files(target) == []
    assert (target / "upstream").is_dir()  # verified downloads are kept for the next try


@pytest.mark.parametrize(
    ("failure", "words"),
    [
        ("down", "Connection refused"),
        ("404", "HTTP 404"),
        ("500", "HTTP 500"),
        ("slow", "timed out"),
        ("short", "IncompleteRead|size 372 instead of 382"),
    ],
)
def test_it_fails_clearly_and_leaves_the_installed_copy_untouched(
    upstream: Upstream, tmp_path: Path, failure: str, words: str
) -> None:
    target = write_local_copy(tmp_path / "national")  # an older copy, not the manifest's
    old = target / national.NATIONAL_FILES["kab"]
    old.write_bytes(gzip.compress(b"old\n"))
    before = {name: (target / name).read_bytes() for name in national_files(target)}
    source = upstream.url
    if failure == "down":
        source = f"http://127.0.0.1:{closed_port()}"
    else:
        upstream.broken["db/kec/wilayah_boundaries_kec_13.sql"] = failure

    with pytest.raises(national.NationalError) as raised:
        fetch(upstream, target, source=source)

    message = str(raised.value)
    assert re.match("(Gagal mengunduh|Checksum tidak cocok) ", message)
    assert re.search(" / (Download failed|Checksum mismatch) for ", message)
    assert re.search(words, message)
    assert {name: (target / name).read_bytes() for name in national_files(target)} == before


def test_it_refuses_a_hostile_upstream_file_naming_it_and_installs_nothing(
    upstream: Upstream, tmp_path: Path
) -> None:
    # A hostile file that matches its manifest entry: the blob check passes, the parser refuses.
    name = "db/kel/13/wilayah_boundaries_kel_13.75.sql"
    upstream.files[name] = KEL13_SQL.replace("Kosong", "Kos\0ong").encode()
    (upstream.root / name).write_bytes(upstream.files[name])
    manifest = make_manifest(upstream.root)
    target = tmp_path / "national"

    with pytest.raises(national.NationalError) as raised:
        national.fetch(target, source=upstream.url, manifest=manifest, net=FAST)

    assert f"Berkas SQL {name} tidak bisa dibaca (baris 4): berisi byte NUL" in str(raised.value)
    assert f"Cannot read SQL file {name} (line 4): contains a NUL byte" in str(raised.value)
    assert national_files(target) == []


# ---------------------------------------------------------------------------------------------
# Local copy
# ---------------------------------------------------------------------------------------------


def test_it_installs_a_verified_local_copy(upstream: Upstream, tmp_path: Path) -> None:
    copy = write_local_copy(tmp_path / "copy")
    target = tmp_path / "national"

    result = national.fetch(target, local_copy=copy, manifest=upstream.manifest)

    assert result.action == "local"
    for level, name in national.NATIONAL_FILES.items():
        assert decompressed(target / name) == content(level)
        assert (target / name).read_bytes() == (copy / name).read_bytes()
    assert upstream.requests == []


def test_it_refuses_a_local_copy_with_one_corrupted_file(
    upstream: Upstream, tmp_path: Path
) -> None:
    copy = write_local_copy(tmp_path / "copy")
    desa = copy / national.NATIONAL_FILES["kel"]
    desa.write_bytes(desa.read_bytes()[:-12])  # truncated gzip
    kec = copy / national.NATIONAL_FILES["kec"]
    target = tmp_path / "national"

    with pytest.raises(national.NationalError, match=r"indonesia_desa\.geojsonl\.gz"):
        national.fetch(target, source=str(copy), manifest=upstream.manifest)
    kec.write_bytes(gzip.compress(content("kec").replace(b"Guguk", b"Guguak")))
    write_local_copy(tmp_path / "copy2")
    (tmp_path / "copy2" / national.NATIONAL_FILES["kec"]).write_bytes(kec.read_bytes())
    with pytest.raises(national.NationalError) as raised:
        national.fetch(target, source=str(tmp_path / "copy2"), manifest=upstream.manifest)

    assert "Checksum tidak cocok" in str(raised.value)
    assert "indonesia_kecamatan.geojsonl.gz" in str(raised.value)
    assert not target.exists() or national_files(target) == []


@pytest.mark.parametrize("position", [40, 60, -20])
def test_it_refuses_a_local_copy_with_a_flipped_byte(
    upstream: Upstream, tmp_path: Path, position: int
) -> None:
    copy = write_local_copy(tmp_path / "copy")
    kab = copy / national.NATIONAL_FILES["kab"]
    data = bytearray(gzip.compress(content("kab") * 50))  # big enough for a deflate block
    data[position] ^= 0xFF
    kab.write_bytes(bytes(data))

    with pytest.raises(national.NationalError, match=r"indonesia_kabkota\.geojsonl\.gz"):
        national.fetch(tmp_path / "national", source=str(copy), manifest=upstream.manifest)

    assert national_files(tmp_path / "national") == []


def test_it_says_when_local_only_finds_nothing(upstream: Upstream, tmp_path: Path) -> None:
    result = national.fetch(
        tmp_path / "national",
        local_copy=tmp_path / "absent",
        local_only=True,
        manifest=upstream.manifest,
    )

    assert result.action == "missing"
    assert upstream.requests == []


# ---------------------------------------------------------------------------------------------
# West Sumatra: the province filter, and the files shipped in the repository
# ---------------------------------------------------------------------------------------------


def test_it_filters_a_province_into_the_shipped_layout(upstream: Upstream, tmp_path: Path) -> None:
    target = tmp_path / "national"
    fetch(upstream, target)
    sumbar = tmp_path / "sumbar"
    sumbar.mkdir()
    for level, name in national.SUMBAR_FILES.items():
        lines = [line for line in EXPECTED[level] if '"kode":"13.' in line]
        text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
        (sumbar / name).write_text(text)
        json.loads(text)  # it is one valid GeoJSON document

    assert national.check_sumbar(target, sumbar) == []
    (sumbar / national.SUMBAR_FILES["kec"]).write_text("{}")
    assert national.check_sumbar(target, sumbar) == ["sumbar_kecamatan.geojson"]


def provenance_sha256() -> dict[str, str]:
    text = (national.SUMBAR_DIR / "PROVENANCE.md").read_text()
    return dict(re.findall(r"`(sumbar_\w+\.geojson)`[^\n]*?`([0-9a-f]{64})`", text))


def test_it_ships_the_west_sumatra_files_with_the_checksums_it_documents() -> None:
    manifest = national.load_manifest()
    documented = provenance_sha256()

    assert sorted(documented) == sorted(national.SUMBAR_FILES.values())
    for name in national.SUMBAR_FILES.values():
        actual = catalog.file_sha256(national.SUMBAR_DIR / name)
        assert actual == documented[name] == manifest.shipped[name]
    assert "Copyright (c) 2024 Cahya DSN" in (national.SUMBAR_DIR / "LICENSE").read_text()


def test_it_pins_the_upstream_in_the_manifest() -> None:
    manifest = national.load_manifest()

    assert manifest.commit == "3c5a7960f4d227a38489094d84252bdbb3f978a5"
    assert len(manifest.files) == 590
    assert {level: len(manifest.level_files(level)) for level in national.LEVELS} == {
        "kab": 38,
        "kec": 38,
        "kel": 514,
    }
    assert manifest.url("db/kab/wilayah_boundaries_kab_13.sql") == (
        "https://raw.githubusercontent.com/cahyadsn/wilayah_boundaries/"
        "3c5a7960f4d227a38489094d84252bdbb3f978a5/db/kab/wilayah_boundaries_kab_13.sql"
    )
    assert {level: out.features for level, out in manifest.outputs.items()} == {
        "kab": 514,
        "kec": 7284,
        "kel": 83246,
    }
    readme = (national.DATA_DIR / "indonesia" / "README.md").read_text()
    for out in manifest.outputs.values():
        assert out.sha256 in readme


LOCAL_COPY = Path(settings.BASE_DIR).parent / "shared" / "data" / "indonesia"
needs_local_copy = pytest.mark.skipif(
    not national.is_local_copy(LOCAL_COPY),
    reason=f"no local copy of the national files at {LOCAL_COPY} (only on the project machines)",
)


@needs_local_copy
def test_it_verifies_the_real_local_copy_and_the_shipped_west_sumatra_files(
    tmp_path: Path,
) -> None:
    target = tmp_path / "national"

    result = national.fetch(target, source=str(LOCAL_COPY))

    assert result.action == "local"
    assert national.installed_ok(target, national.load_manifest(), rehash=True)
    assert national.check_sumbar(target) == []


# ---------------------------------------------------------------------------------------------
# The management command
# ---------------------------------------------------------------------------------------------


def command(*args: str) -> str:
    out = StringIO()
    call_command("fetch_national_boundaries", *args, "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def fake_manifest(upstream: Upstream, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Upstream:
    monkeypatch.setattr(national, "MANIFEST_PATH", upstream.manifest_path)
    monkeypatch.setattr(national, "default_local_copy", lambda: tmp_path / "no-local-copy")
    return upstream


def test_it_says_in_one_line_that_nothing_is_installed_with_local_only(
    fake_manifest: Upstream, tmp_path: Path
) -> None:
    output = command("--local-only", "--target", str(tmp_path / "national"))

    assert output.count("\n") == 1
    assert "belum terpasang" in output
    assert "are not installed" in output
    assert "manage.py fetch_national_boundaries" in output
    assert fake_manifest.requests == []


def test_it_fetches_from_a_mirror_url_and_reports_figures(
    fake_manifest: Upstream, tmp_path: Path
) -> None:
    target = tmp_path / "national"

    output = command("--from", fake_manifest.url, "--target", str(target))
    again = command("--target", str(target))

    assert output.startswith("Terpasang 3 berkas")
    assert "Installed 3 files" in output
    assert "4 downloaded + 0 cached" in output
    assert "Already installed and verified" in again


def test_it_raises_bilingual_command_errors(fake_manifest: Upstream, tmp_path: Path) -> None:
    target = tmp_path / "national"

    with pytest.raises(CommandError) as down:
        command("--from", f"http://127.0.0.1:{closed_port()}", "--target", str(target))
    with pytest.raises(CommandError) as check:
        command("--check", "--target", str(target))
    with pytest.raises(CommandError) as mixed:
        command("--local-only", "--from", fake_manifest.url, "--target", str(target))

    assert "Gagal mengunduh" in str(down.value)
    assert "Download failed" in str(down.value)
    assert "tidak ada atau checksum tidak cocok" in str(check.value)
    assert "missing or their checksum does not match" in str(check.value)
    assert "--local-only" in str(mixed.value)
    assert not target.exists() or national_files(target) == []
