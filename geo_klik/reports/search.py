"""KLIK's part of the cross-area search: what to report, a tracking code, open reports near."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from geo_klik.lib import layers
from geo_klik.reports import queries, serializers
from geo_klik.reports.models import Category, Report


def search(query: layers.SearchQuery) -> list[layers.SearchHit]:
    hits: list[layers.SearchHit] = []
    if query.text:
        hits += _tracking_code(query.text)
        hits += _categories(query)
    if query.lat is not None and query.lon is not None:
        hits += _open_reports_near(query, query.lat, query.lon)
    return hits[: query.limit]


def _name(category: Category, language: str) -> str:
    return category.name_en if language == "en" and category.name_en else category.name_id


def _status(report: Report, language: str) -> str:
    """ "Diterima / Received" -> the half in the page's language."""
    id_label, en_label = serializers.bilingual(report.get_status_display())
    return en_label if language == "en" else id_label


def _categories(query: layers.SearchQuery) -> list[layers.SearchHit]:
    """Categories whose name or description matches: "where do I report a broken road?"."""
    text = query.text
    matches = queries.categories_matching(text)
    report_url = reverse("residents-report")
    hits = []
    for category in matches[: query.limit]:
        name = _name(category, query.language)
        in_name = text.lower() in f"{category.name_id} {category.name_en}".lower()
        hits.append(
            layers.SearchHit(
                area=layers.KLIK,
                layer="klik_categories",
                title=gettext("Report: {name}").format(name=name),
                icon=category.icon,
                subtitle=gettext("KLIK incident report category"),
                url=f"{report_url}?{urlencode({'kategori': category.code})}",
                lat=None,
                lon=None,
                score=0.9 if in_name else 0.5,
            )
        )
    return hits


def _tracking_code(text: str) -> list[layers.SearchHit]:
    code = queries.normalize_tracking_code(text)
    if code is None or len(code) < 6:
        return []
    if not queries.listed_report_exists(code):
        return []
    return [
        layers.SearchHit(
            area=layers.KLIK,
            layer="klik_reports",
            title=gettext("Report {code}").format(code=code),
            subtitle=gettext("Tracking page of this report"),
            url=reverse("residents-track", args=[code]),
            lat=None,
            lon=None,
            score=1.0,
        )
    ]


def _open_reports_near(query: layers.SearchQuery, lat: float, lon: float) -> list[layers.SearchHit]:
    """Open, non-sensitive reports within the radius (sensitive ones are never located publicly)."""
    reports = queries.public_open_reports_near(
        lat, lon, within_m=query.radius_m, category_text=query.text, limit=query.limit
    )
    hits = []
    for report, distance_m in reports:
        lat, lon = queries.public_lat_lon(report)
        kelurahan = report.kelurahan.name if report.kelurahan else ""
        hits.append(
            layers.SearchHit(
                area=layers.KLIK,
                layer="klik_reports",
                title=_name(report.category, query.language),
                icon=report.category.icon,
                subtitle=" · ".join(
                    part for part in (_status(report, query.language), kelurahan) if part
                ),
                url=reverse("residents-track", args=[report.tracking_code]),
                lat=lat,
                lon=lon,
                distance_m=distance_m,
                score=0.5,
            )
        )
    return hits
