"""Who hears of a report: by kelurahan, by radius (the 2 km edge), categories, kinds, sensitive
categories at their public precision, and only confirmed subscriptions."""

from __future__ import annotations

from geographiclib.geodesic import Geodesic  # type: ignore[import-untyped]

from geo_klik.alerts import actions
from geo_klik.alerts.models import AlertDelivery, AlertTrigger
from geo_klik.lib import geo
from geo_klik.reports.models import Category
from tests.alerts.conftest import CENTRE, at_distance, make_report, resolve, route, subscribe
from tests.conftest import TinyCity
from tests.notify.conftest import Queued


def alerted(report_id: int, kind: str = "new") -> set[int]:
    """Subscription ids given a delivery for the report's news (after its fan-out)."""
    actions.fan_out(report_id, kind)
    return set(
        AlertDelivery.objects.filter(trigger__report_id=report_id, trigger__kind=kind).values_list(
            "subscription_id", flat=True
        )
    )


def test_it_matches_by_kelurahan(tiny_city: TinyCity, garbage: Category, queued: Queued) -> None:
    barat_utara = subscribe([garbage], kelurahan=tiny_city.kelurahan["Barat Utara"])
    timur_utara = subscribe([garbage], kelurahan=tiny_city.kelurahan["Timur Utara"])
    report = make_report(garbage, -0.005, 100.005, tiny_city)  # inside Barat Utara
    route(report)
    assert alerted(report.pk) == {barat_utara.pk}
    assert timur_utara.pk not in alerted(report.pk)


def test_it_matches_exactly_two_km_and_not_just_outside(
    tiny_city: TinyCity, garbage: Category, queued: Queued
) -> None:
    near = subscribe([garbage], centre=CENTRE, radius_m=2000)
    on_edge = make_report(garbage, *at_distance(*CENTRE, metres=1999.999), tiny_city)
    outside = make_report(garbage, *at_distance(*CENTRE, metres=2000.5), tiny_city)
    route(on_edge)
    route(outside)
    assert alerted(on_edge.pk) == {near.pk}
    assert alerted(outside.pk) == set()


def test_it_measures_each_subscriptions_own_radius(
    tiny_city: TinyCity, garbage: Category, queued: Queued
) -> None:
    small = subscribe([garbage], centre=CENTRE, radius_m=300)
    large = subscribe([garbage], centre=CENTRE, radius_m=800)
    report = make_report(garbage, *at_distance(*CENTRE, metres=500, azimuth=10), tiny_city)
    route(report)
    assert alerted(report.pk) == {large.pk}
    assert small.pk not in alerted(report.pk)


def test_it_matches_only_the_chosen_categories(
    tiny_city: TinyCity, garbage: Category, pothole: Category, queued: Queued
) -> None:
    garbage_only = subscribe([garbage], centre=CENTRE, radius_m=1000)
    both = subscribe([garbage, pothole], centre=CENTRE, radius_m=1000)
    report = make_report(pothole, *at_distance(*CENTRE, metres=200), tiny_city)
    route(report)
    assert alerted(report.pk) == {both.pk}
    assert garbage_only.pk not in alerted(report.pk)


def test_it_matches_new_reports_and_resolutions_as_chosen(
    tiny_city: TinyCity, garbage: Category, queued: Queued
) -> None:
    new_only = subscribe([garbage], centre=CENTRE, radius_m=1000, resolutions=False)
    resolved_only = subscribe([garbage], centre=CENTRE, radius_m=1000, new_reports=False)
    report = make_report(garbage, *at_distance(*CENTRE, metres=200), tiny_city)
    route(report)
    resolve(report)
    assert alerted(report.pk, "new") == {new_only.pk}
    assert alerted(report.pk, "resolved") == {resolved_only.pk}


def test_it_never_alerts_an_unconfirmed_email(
    tiny_city: TinyCity, garbage: Category, queued: Queued
) -> None:
    subscribe([garbage], centre=CENTRE, radius_m=1000, confirmed=False)
    report = make_report(garbage, *at_distance(*CENTRE, metres=200), tiny_city)
    route(report)
    assert alerted(report.pk) == set()
    assert AlertDelivery.objects.filter(kind="alert").count() == 0


def test_it_alerts_only_news_after_the_subscription(
    tiny_city: TinyCity, garbage: Category, queued: Queued
) -> None:
    report = make_report(garbage, *at_distance(*CENTRE, metres=200), tiny_city)
    route(report)  # before anyone subscribed
    subscribe([garbage], centre=CENTRE, radius_m=1000)
    assert alerted(report.pk) == set()


def test_it_matches_a_sensitive_category_at_its_public_cell_only(
    tiny_city: TinyCity, crime: Category, queued: Queued
) -> None:
    # A true point whose public cell (the 0.001° grid) lies farther from the centre than it
    # does: a radius between the two must not reveal that the true point is inside it.
    lat, lon, true_m, cell_m = next(
        (lat, lon, true_m, cell_m)
        for metres in range(300, 600, 5)
        for lat, lon in [at_distance(*CENTRE, metres=metres, azimuth=30)]
        for true_m, cell_m in [
            (geo_distance(CENTRE, (lat, lon)), geo_distance(CENTRE, geo.snap_to_grid(lat, lon)))
        ]
        if cell_m - true_m > 30
    )
    radius = round((true_m + cell_m) / 2)
    subscription = subscribe([crime], centre=CENTRE, radius_m=radius)
    report = make_report(crime, lat, lon, tiny_city)
    route(report)
    assert true_m < radius < cell_m  # the case this test is about
    assert alerted(report.pk) == set()
    # A radius that holds the cell hears of it.
    wider = subscribe([crime], centre=CENTRE, radius_m=round(cell_m) + 1)
    resolve(report)
    assert alerted(report.pk, "resolved") == {wider.pk}
    assert subscription.pk not in alerted(report.pk, "resolved")


def geo_distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(Geodesic.WGS84.Inverse(a[0], a[1], b[0], b[1])["s12"])


def test_one_trigger_per_report_and_kind(
    tiny_city: TinyCity, garbage: Category, queued: Queued
) -> None:
    report = make_report(garbage, *at_distance(*CENTRE, metres=200), tiny_city)
    route(report)
    resolve(report)
    route(report)  # reopened and routed again: not new news
    resolve(report)  # resolved again: already told
    assert sorted(AlertTrigger.objects.values_list("kind", flat=True)) == ["new", "resolved"]
