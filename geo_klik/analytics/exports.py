"""Open-data exports of the filtered reports: CSV (Open311 GeoReport field names) and GeoJSON.

Both are generators over a server-side cursor (``iterator(chunk_size=...)``), so a million
reports stream out a chunk at a time and never sit in memory. Only public fields leave, with
the same rules as the Open311 API: a sensitive category (crime) has no description, and its
point is rounded to about 110 m and its address to the kelurahan.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from geo_klik.analytics import queries
from geo_klik.analytics.filters import ReportFilter
from geo_klik.lib import geo
from geo_klik.open311 import documents
from geo_klik.reports.models import Report

CHUNK_SIZE = 2000
# GeoReport v2 service request fields, in the order of the specification.
OPEN311_FIELDS = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
)
STATUS_LABELS = dict(Report.Status.choices)
OPEN = set(Report.OPEN_STATUSES)


def rows(where: ReportFilter, *, chunk_size: int = CHUNK_SIZE) -> Iterator[dict[str, Any]]:
    """The filtered reports as Open311 service requests (dicts), streamed from the database."""
    for row in queries.export_rows(where, chunk_size=chunk_size):
        yield _request(row)


def _request(row: dict[str, Any]) -> dict[str, Any]:
    lat, lon = geo.lat_lon(row["location"])
    sensitive = row["sensitive"]
    decimals = documents.SENSITIVE_DECIMALS if sensitive else documents.PUBLIC_DECIMALS
    address = row["address"]
    if sensitive:
        address = f"Kel. {row['kelurahan_name']}" if row["kelurahan_name"] else ""
    return {
        "service_request_id": row["tracking_code"],
        "status": "open" if row["status"] in OPEN else "closed",
        "status_notes": str(STATUS_LABELS.get(row["status"], row["status"])),
        "service_name": row["category_name"],
        "service_code": row["category_code"],
        "description": "" if sensitive else row["description"],
        "agency_responsible": row["agency_name"],
        "service_notice": None,
        "requested_datetime": documents.w3c_datetime(row["created_at"]),
        "updated_datetime": documents.w3c_datetime(row["updated_at"]),
        "expected_datetime": documents.w3c_datetime(row["created_at"] + row["resolve_target"]),
        "address": address,
        "address_id": None,
        "zipcode": None,
        "lat": round(lat, decimals),
        "long": round(lon, decimals),
        "media_url": None,
    }


class _Line:
    """A file-like object whose write() returns what it was given (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets
# (=HYPERLINK(...) phones home, =cmd|... runs a program): the OWASP CSV-injection rule.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value safe to open in a spreadsheet: a text that would start a formula gets a ``'``."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(where: ReportFilter, *, chunk_size: int = CHUNK_SIZE) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield "\ufeff"  # a BOM, so spreadsheet programs read the Indonesian text as UTF-8
    yield writer.writerow(OPEN311_FIELDS)
    for request in rows(where, chunk_size=chunk_size):
        yield writer.writerow([csv_cell(request[f]) for f in OPEN311_FIELDS])


def geojson_parts(where: ReportFilter, *, chunk_size: int = CHUNK_SIZE) -> Iterator[str]:
    yield '{"type":"FeatureCollection","features":['
    separator = ""
    for request in rows(where, chunk_size=chunk_size):
        properties = {k: v for k, v in request.items() if k not in ("lat", "long")}
        feature = {
            "type": "Feature",
            "id": request["service_request_id"],
            "geometry": {"type": "Point", "coordinates": [request["long"], request["lat"]]},
            "properties": properties,
        }
        yield separator + json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        separator = ","
    yield "]}\n"
