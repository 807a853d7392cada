"""No city name in code: the city served is data (issue 18). Exceptions are listed, each why."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE_SUFFIXES = {".py", ".html", ".js", ".txt", ".css"}
SKIPPED_PARTS = {"migrations", "locale", "data", "static_root", "__pycache__"}
# The names of West Sumatra's kab/kota (the shipped layers): none belongs in code.
NAMES = re.compile(
    r"bukittinggi|payakumbuh|padang(?! ?panjang\b)|sawahlunto|pariaman|agam\b|solok|"
    r"sijunjung|tanah datar|lima puluh kota|pasaman|mentawai|dharmasraya|pesisir selatan",
    re.IGNORECASE,
)

# Files still holding a city name, with how many lines do and why. Shrink it, never grow it.
ALLOWED: dict[str, tuple[int, str]] = {
    # This task's own files: the default city (13.75) and its layer rule, documented.
    "geo_klik/boundaries/catalog.py": (3, "documents the default city's official layer rule"),
    "geo_klik/settings.py": (
        2,
        "GEO_KLIK_DATA_DIR's default (the default city's data folder); DEFAULT_FROM_EMAIL's "
        "default, kept so a deployment relying on it keeps its sender: set it per city",
    ),
    "geo_klik/boundaries/sources.py": (1, "names the shared layers' field names"),
    "geo_klik/maps/builders.py": (1, "old constant names kept for analytics (other engineer)"),
    "geo_klik/__init__.py": (1, "the package's docstring"),
    # The default city's own seed content (its offices, places, demo listings); only seeded
    # when GEO_KLIK_CITY is 13.75 (provision_data).
    "geo_klik/business/seed.py": (2, "demo listings of the default city"),
    "geo_klik/information/seed.py": (1, "places of the default city"),
    "geo_klik/information/models.py": (1, "comment: Jam Gadang"),
    "geo_klik/public_services/seed_data.py": (2, "the default city's catalogue"),
    # Other engineers' apps this session (residents, notify, control, reports, accounts,
    # analytics, agencies): listed for the lead, not edited here.
    "geo_klik/residents/client.py": (2, "owned by another engineer this session"),
    "geo_klik/residents/templates/residents/track_lookup.html": (1, "another engineer's"),
    "geo_klik/residents/templates/residents/track.html": (1, "another engineer's"),
    "geo_klik/residents/templates/residents/sw.js": (1, "another engineer's"),
    "geo_klik/residents/templates/residents/report.html": (1, "another engineer's"),
    "geo_klik/residents/templates/residents/public_map.html": (1, "another engineer's"),
    "geo_klik/residents/templates/residents/_page.html": (1, "another engineer's"),
    "geo_klik/analytics/queries/facts.py": (1, "another engineer's"),
    "geo_klik/analytics/demo.py": (1, "another engineer's"),
    "geo_klik/analytics/builders.py": (1, "another engineer's"),
    "geo_klik/residents/templates/residents/privacy.html": (5, "another engineer's"),
    "geo_klik/notify/checks.py": (1, "another engineer's"),
    # Merged from main while this task ran (issue 15's area alerts, another engineer's).
    "geo_klik/alerts/inputs.py": (2, "another engineer's"),
    "geo_klik/alerts/texts.py": (4, "another engineer's"),
    "geo_klik/alerts/templates/alerts/link.html": (2, "another engineer's"),
    "geo_klik/alerts/templates/alerts/page.html": (2, "another engineer's"),
}


def lines_naming_a_city() -> dict[str, int]:
    found: dict[str, int] = {}
    for path in sorted((ROOT / "geo_klik").rglob("*")):
        if path.suffix not in CODE_SUFFIXES or SKIPPED_PARTS & set(path.parts):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        count = sum(1 for line in text.splitlines() if NAMES.search(line))
        if count:
            found[str(path.relative_to(ROOT))] = count
    return found


def test_no_code_names_a_city_beyond_the_listed_exceptions() -> None:
    found = lines_naming_a_city()
    unexpected = {p: n for p, n in found.items() if n > ALLOWED.get(p, (0, ""))[0]}
    assert not unexpected, f"city names in code (make them data, or list why): {unexpected}"


def test_the_exceptions_list_stays_exact() -> None:
    found = lines_naming_a_city()
    stale = {p: (n, found.get(p, 0)) for p, (n, _) in ALLOWED.items() if found.get(p, 0) < n}
    assert not stale, f"fewer city names than listed now: lower these counts {stale}"


def test_the_grep_finds_a_city_name() -> None:
    assert NAMES.search('title = "KLIK Payakumbuh"') and NAMES.search("Kabupaten Agam")
    assert not NAMES.search("kota_code = '13.76'")
