"""Writes of the KLIK intake: accept a report once, commit it, then queue its routing."""

from __future__ import annotations

import base64
import logging
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import celery
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from geo_klik.boundaries import queries as boundary_queries
from geo_klik.boundaries.models import Kelurahan
from geo_klik.lib import geo, geocoding
from geo_klik.reports import queries, signals
from geo_klik.reports.models import (
    Category,
    Report,
    ReportEvent,
    ReportPhoto,
    ReportRating,
    ReportSupport,
    hash_reporter_secret,
)

logger = logging.getLogger(__name__)

# Crockford's base32 without look-alikes (no I, L, O, U): easy to read aloud and type.
TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKING_LENGTH = 10  # 50 random bits: unguessable, yet short enough to copy from an SMS


# A resident may reopen a resolved report this long after its resolution.
REOPEN_WINDOW = timedelta(days=14)


class OutsideCity(Exception):
    """The point is outside the city, farther than the routing tolerance from its boundary."""


class IdempotencyKeyReused(Exception):
    """The Idempotency-Key already names a report that was sent with another body."""


class NotResolved(Exception):
    """Rating or reopening needs a resolved report."""


class ReopenWindowClosed(Exception):
    """The report was resolved more than REOPEN_WINDOW ago."""


class NotOpen(Exception):
    """Support is for open reports only."""


@dataclass(frozen=True)
class NewPhoto:
    """A photo already checked and cleaned (see ``reports.photos``), ready to store."""

    sha256: str
    content: bytes
    content_type: str
    extension: str
    width: int = 0
    height: int = 0


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def reporter_secret_for(idempotency_key: uuid.UUID | None) -> str:
    """A new report's reporter secret (32 URL-safe characters, 192 bits).

    Derived from the client's Idempotency-Key with SECRET_KEY, so a retry whose 201 was lost
    on the way gets the same secret again (the key never leaves the reporter's device); random
    when the client sent no key, and then shown only once.
    """
    if idempotency_key is None:
        return secrets.token_urlsafe(24)
    digest = salted_hmac(
        "geo_klik.reports.reporter_secret", idempotency_key.hex, algorithm="sha256"
    ).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode("ascii")


def address_digest(address: str) -> str:
    """A keyed hash of a client address: enough to count once per address, not to find it."""
    if not address:
        return ""
    return salted_hmac("geo_klik.reports.support_address", address, algorithm="sha256").hexdigest()


def kelurahan_at(lat: float, lon: float) -> Kelurahan:
    """The kelurahan of a report's point, tolerating GPS error at the edge; else OutsideCity."""
    kelurahan = boundary_queries.kelurahan_at(lat, lon, tolerance_m=settings.ROUTING_TOLERANCE_M)
    if kelurahan is None:
        raise OutsideCity(f"({lat}, {lon}) is outside the city")
    return kelurahan


def create_report(
    *,
    category: Category,
    lat: float,
    lon: float,
    description: str,
    accuracy_m: float | None = None,
    photos: Sequence[NewPhoto] = (),
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    anonymous: bool = False,
    idempotency_key: uuid.UUID | None = None,
    body_sha256: str = "",
    reporter_secret: str = "",
    source: str = Report.Source.API,
) -> tuple[Report, bool]:
    """Store a report and queue its routing after commit; (report, created).

    A retry with the same idempotency key returns the original report and ``created=False``;
    one whose ``body_sha256`` differs from the original's raises IdempotencyKeyReused.
    Only the hash of ``reporter_secret`` is stored (none: nobody may act as the reporter).
    Raises OutsideCity for a point beyond the tolerance outside the city.
    """
    # No lookup of the key first: the API answers known keys before validating, and the
    # unique index settles everything else (a retry, or two racing) below.
    kelurahan = kelurahan_at(lat, lon)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                tracking_code=new_tracking_code(),
                idempotency_key=idempotency_key,
                body_sha256=body_sha256,
                category=category,
                location=geo.point(lat, lon),
                accuracy_m=accuracy_m,
                description=description,
                kelurahan=kelurahan,
                address=default_address(kelurahan),
                reporter_name="" if anonymous else reporter_name,
                reporter_phone="" if anonymous else reporter_phone,
                reporter_email="" if anonymous else reporter_email,
                anonymous=anonymous,
                reporter_secret_sha256=hash_reporter_secret(reporter_secret)
                if reporter_secret
                else "",
                source=source,
            )
            for photo in photos:
                store_photo(report, photo)
            ReportEvent.objects.create(
                report=report,
                kind=ReportEvent.Kind.STATUS,
                actor=ReportEvent.Actor.RESIDENT,
                status_to=Report.Status.RECEIVED,
            )
            transaction.on_commit(lambda: announce_accepted([report.pk]))
            if settings.GEOCODER:
                transaction.on_commit(lambda: enqueue_geocoding(report.pk))
    except IntegrityError:
        # A retry, or two racing: the report under this key is already committed.
        if idempotency_key is None:
            raise
        existing = queries.report_by_idempotency_key(idempotency_key)
        if existing is None:  # the colliding row went away (deleted meanwhile): a real error
            raise
        check_same_body(existing, body_sha256)
        return existing, False
    return report, True


def announce_accepted(report_ids: list[int]) -> None:
    """Tell the apps above (dispatch routes them) that these committed reports were accepted."""
    signals.report_accepted.send_robust(sender=Report, report_ids=report_ids)


def check_same_body(existing: Report, body_sha256: str) -> None:
    """Raise IdempotencyKeyReused if a retry's body is not the one first sent under its key.

    Reports stored before bodies were hashed (or by callers that pass none) are not compared.
    """
    if existing.body_sha256 and body_sha256 and existing.body_sha256 != body_sha256:
        raise IdempotencyKeyReused(str(existing.idempotency_key))


def default_address(kelurahan: Kelurahan) -> str:
    """Without a geocoder, the address is the kelurahan and kecamatan names."""
    kecamatan = kelurahan.kecamatan  # the kota's name: the city served (issue 18)
    return f"Kelurahan {kelurahan.name}, Kecamatan {kecamatan.name}, {kecamatan.kota.name}"


def store_photo(
    report: Report, photo: NewPhoto, *, event: ReportEvent | None = None
) -> ReportPhoto:
    """Attach a cleaned photo; its file is named by content hash, so a repeat is stored once."""
    name = f"{photo.sha256}.{photo.extension}"
    row = ReportPhoto(
        report=report,
        event=event,
        sha256=photo.sha256,
        content_type=photo.content_type,
        width=photo.width,
        height=photo.height,
    )
    path = row.image.field.generate_filename(row, name)
    storage = row.image.storage
    if storage.exists(path):
        row.image.name = path
    else:
        saved = storage.save(path, ContentFile(photo.content))
        if saved != path:  # another request stored the same photo meanwhile
            storage.delete(saved)
        row.image.name = path
    if not (row.width and row.height):
        row.width, row.height = row.image.width, row.image.height
    row.save()
    return row


# Sent by name: tasks.py imports this module to call it, never the other way round.
GEOCODE_TASK = "geo_klik.reports.tasks.geocode_report"


def enqueue_geocoding(report_id: int) -> bool:
    """Queue the reverse geocoding of a report; a broker outage keeps the default address."""
    try:
        celery.signature(GEOCODE_TASK, args=(report_id,)).apply_async(retry=False)
    except Exception:  # any broker failure: the kelurahan address stands
        logger.warning("geocoding of report %s not queued (broker unreachable)", report_id)
        return False
    return True


def geocode_report(report_id: int, *, geocoder: geocoding.ReverseGeocoder | None = None) -> str:
    """Replace a report's default address with the geocoder's; the address it now has.

    Without a geocoder (GEOCODER empty) or an answer, the kelurahan address stays. Raises
    GeocodingUnavailable when the provider fails, so the task can retry.
    """
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        return ""
    geocoder = geocoder or geocoding.reverse_geocoder()
    if geocoder is None:
        return report.address
    lat, lon = geo.lat_lon(report.location)
    address = geocoding.reverse_address(geocoder, lat, lon)
    if not address:
        return report.address
    address = address[: Report._meta.get_field("address").max_length]
    Report.objects.filter(pk=report_id).update(address=address)
    return address


def change_status(
    report: Report,
    status: str,
    *,
    actor: str,
    note: str = "",
    agency_id: int | None = None,
    public: bool = True,
) -> ReportEvent:
    """Move a report to `status` and record the change on its timeline, in one transaction.

    Resolving stamps ``resolved_at`` (the start of the reopening window); any other status
    clears it. The row is locked so two concurrent changes are recorded in order.
    """
    with transaction.atomic():
        locked = Report.objects.select_for_update(of=("self",)).get(pk=report.pk)
        event = change_status_of_locked(
            locked, status, actor=actor, note=note, agency_id=agency_id, public=public
        )
    report.status, report.resolved_at = locked.status, locked.resolved_at
    return event


def change_status_of_locked(
    locked: Report,
    status: str,
    *,
    actor: str,
    note: str = "",
    agency_id: int | None = None,
    public: bool = True,
    also_save: tuple[str, ...] = (),
) -> ReportEvent:
    """``change_status`` for a report row the caller has locked in its own transaction.

    ``also_save`` names other fields the caller changed on the row, written in the same UPDATE.
    """
    event = ReportEvent.objects.create(
        report=locked,
        kind=ReportEvent.Kind.STATUS,
        actor=actor,
        status_from=locked.status,
        status_to=status,
        note=note,
        public=public,
        agency_id=agency_id,
    )
    locked.status = status
    locked.resolved_at = timezone.now() if status == Report.Status.RESOLVED else None
    locked.save(update_fields=["status", "resolved_at", "updated_at", *also_save])
    return event


def add_agency_note(report: Report, *, agency_id: int, note: str) -> ReportEvent:
    """A public note from the handling SKPD, shown on the tracking page."""
    return ReportEvent.objects.create(
        report=report,
        kind=ReportEvent.Kind.NOTE,
        actor=ReportEvent.Actor.STAFF,
        agency_id=agency_id,
        note=note,
    )


def add_comment(report: Report, *, text: str, photo: NewPhoto | None = None) -> ReportEvent:
    """A resident's comment on a report, with an optional (already cleaned) photo."""
    with transaction.atomic():
        event = ReportEvent.objects.create(
            report=report,
            kind=ReportEvent.Kind.COMMENT,
            actor=ReportEvent.Actor.RESIDENT,
            note=text,
        )
        if photo is not None:
            store_photo(report, photo, event=event)
    return event


def support_report(report: Report, *, supporter_key: uuid.UUID, address: str = "") -> bool:
    """Count a resident's "me too" on an open report once per key and per client address.

    True if it is new. Clearing the browser's storage makes a new key, not a new address.
    """
    if not report.is_open:
        raise NotOpen(report.tracking_code)
    digest = address_digest(address)
    seen = Q(supporter_key=supporter_key) | (Q(address_digest=digest) if digest else Q())
    if ReportSupport.objects.filter(seen, report=report).exists():
        return False
    try:
        with transaction.atomic():
            ReportSupport.objects.create(
                report=report, supporter_key=supporter_key, address_digest=digest
            )
    except IntegrityError:  # the same device or address, racing
        return False
    return True


def rate_report(report: Report, *, stars: int, comment: str = "") -> ReportRating:
    """Store (or replace) the resident's rating of a resolved report."""
    if not report.is_resolved:
        raise NotResolved(report.tracking_code)
    with transaction.atomic():
        rating, _ = ReportRating.objects.update_or_create(
            report=report, defaults={"stars": stars, "comment": comment}
        )
        ReportEvent.objects.create(
            report=report,
            kind=ReportEvent.Kind.RATING,
            actor=ReportEvent.Actor.RESIDENT,
            note=comment,
        )
    return rating


def reopen_report(
    report: Report,
    *,
    reason: str,
    photo: NewPhoto | None = None,
    now: datetime | None = None,
) -> ReportEvent:
    """The reporter's "not fixed" on a report resolved less than REOPEN_WINDOW ago.

    The first one reopens it once, with the resident's words (and photo): a routed report returns
    to ``routed`` (its assignments stand, its claim is released), an unrouted one to ``received``
    (the routing sweep picks it up). Any later one does not reopen it again: the report goes to
    the Command Center's ``triage`` for a supervisor. ``signals.report_reopened`` is sent in the
    same transaction, so dispatch's consequences commit with the answer.
    """
    with transaction.atomic():
        locked = Report.objects.select_for_update(of=("self",)).get(pk=report.pk)
        if locked.status != Report.Status.RESOLVED or locked.resolved_at is None:
            raise NotResolved(report.tracking_code)
        if (now or timezone.now()) - locked.resolved_at > REOPEN_WINDOW:
            raise ReopenWindowClosed(report.tracking_code)
        escalated = queries.times_reopened_by_reporter(locked.pk) > 0
        if escalated:
            back_to = Report.Status.TRIAGE
        else:
            back_to = Report.Status.ROUTED if locked.routed_at else Report.Status.RECEIVED
        event = change_status_of_locked(
            locked, back_to, actor=ReportEvent.Actor.RESIDENT, note=reason
        )
        if photo is not None:
            store_photo(locked, photo, event=event)
        signals.report_reopened.send(sender=Report, report=locked, event=event, escalated=escalated)
    report.status, report.resolved_at = locked.status, locked.resolved_at
    return event


CONFIRMED_FIXED_NOTE = "Pelapor menyatakan sudah beres. / The reporter confirmed it is fixed."
AUTO_CLOSED_NOTE = (
    "Ditutup otomatis: pelapor tidak menjawab dalam {days} hari. / "
    "Closed automatically: the reporter did not answer within {days} days."
)


def confirm_fixed(report: Report) -> ReportEvent:
    """The reporter's "fixed": a resolved report is closed (at any time while it is resolved)."""
    with transaction.atomic():
        locked = Report.objects.select_for_update(of=("self",)).get(pk=report.pk)
        if locked.status != Report.Status.RESOLVED:
            raise NotResolved(report.tracking_code)
        event = change_status_of_locked(
            locked,
            Report.Status.CLOSED,
            actor=ReportEvent.Actor.RESIDENT,
            note=CONFIRMED_FIXED_NOTE,
        )
    report.status, report.resolved_at = locked.status, locked.resolved_at
    return event


def close_unanswered(*, now: datetime | None = None, limit: int = 2000) -> int:
    """Close reports resolved more than REOPEN_WINDOW ago that the reporter never answered.

    Each is closed under its row lock (``SKIP LOCKED``: a report being answered right now is
    left to the next run) after checking again that it is still resolved and due, so two runs,
    or a run and a late answer, never close or reopen one twice. The number closed.
    """
    cutoff = (now or timezone.now()) - REOPEN_WINDOW
    due = Report.objects.filter(status=Report.Status.RESOLVED, resolved_at__lte=cutoff)
    closed = 0
    for pk in due.order_by("resolved_at").values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            locked = (
                Report.objects.select_for_update(of=("self",), skip_locked=True)
                .filter(pk=pk, status=Report.Status.RESOLVED, resolved_at__lte=cutoff)
                .first()
            )
            if locked is None:
                continue
            change_status_of_locked(
                locked,
                Report.Status.CLOSED,
                actor=ReportEvent.Actor.SYSTEM,
                note=AUTO_CLOSED_NOTE.format(days=REOPEN_WINDOW.days),
            )
            closed += 1
    return closed


class AlreadyRouted(Exception):
    """The report has been routed to an agency: it can no longer be withdrawn."""


def withdraw_report(report: Report) -> None:
    """Delete a report its reporter withdraws while it is still unrouted (received, never routed).

    Under the report's row lock, which routing also takes: either the routing comes first and
    this refuses (AlreadyRouted), or the report is gone when routing looks for it. Its photo
    files go too, unless another report holds the same file (photos are stored by content hash).
    """
    with transaction.atomic():
        locked = Report.objects.select_for_update(of=("self",)).filter(pk=report.pk).first()
        if locked is None:
            return
        if locked.status != Report.Status.RECEIVED or locked.routed_at is not None:
            raise AlreadyRouted(report.tracking_code)
        files = list(locked.photos.values_list("image", flat=True))
        locked.delete()
        transaction.on_commit(lambda: delete_unused_photo_files(files))


def delete_unused_photo_files(names: list[str]) -> None:
    """Delete stored photo files no report refers to any more."""
    storage = ReportPhoto().image.storage
    used = set(ReportPhoto.objects.filter(image__in=names).values_list("image", flat=True))
    for name in set(names) - used:
        storage.delete(name)


def erase_reporter_details(report_ids: Sequence[int]) -> int:
    """Blank the reporter's name, phone and e-mail on these reports; the number changed."""
    has_details = ~Q(reporter_name="") | ~Q(reporter_phone="") | ~Q(reporter_email="")
    return Report.objects.filter(has_details, pk__in=list(report_ids)).update(
        reporter_name="", reporter_phone="", reporter_email="", updated_at=timezone.now()
    )


# Every report's kelurahan again after the boundaries changed: the covering kelurahan (lowest code
# on a shared edge, as kelurahan_for_point), else the nearest within the tolerance (as
# kelurahan_at), else the one it had. A default address ("Kelurahan X, Kecamatan Y, ...") follows
# its kelurahan; an address a resident or geocoder wrote stays.
_REASSIGN_KELURAHAN_SQL = """
WITH found AS (
  SELECT r.id, coalesce(
    (SELECT k.id FROM boundaries_kelurahan k
     WHERE ST_Covers(k.boundary, r.location) ORDER BY k.code_kemendagri LIMIT 1),
    (SELECT k.id FROM boundaries_kelurahan k
     WHERE ST_DWithin(k.boundary::geography, r.location::geography, %(tolerance_m)s)
     ORDER BY ST_Distance(k.boundary::geography, r.location::geography), k.code_kemendagri
     LIMIT 1)) AS kelurahan_id
  FROM reports_report r
),
moved AS (
  SELECT r.id, f.kelurahan_id,
         r.address = 'Kelurahan ' || ok.name || ', Kecamatan ' || okc.name || ', ' || okt.name
           AS default_address,
         'Kelurahan ' || nk.name || ', Kecamatan ' || nkc.name || ', ' || nkt.name
           AS new_address
  FROM reports_report r
  JOIN found f ON f.id = r.id AND f.kelurahan_id IS NOT NULL
  JOIN boundaries_kelurahan nk ON nk.id = f.kelurahan_id
  JOIN boundaries_kecamatan nkc ON nkc.id = nk.kecamatan_id
  JOIN boundaries_kota nkt ON nkt.id = nkc.kota_id
  LEFT JOIN boundaries_kelurahan ok ON ok.id = r.kelurahan_id
  LEFT JOIN boundaries_kecamatan okc ON okc.id = ok.kecamatan_id
  LEFT JOIN boundaries_kota okt ON okt.id = okc.kota_id
  WHERE r.kelurahan_id IS DISTINCT FROM f.kelurahan_id
)
UPDATE reports_report r
SET kelurahan_id = m.kelurahan_id,
    address = CASE WHEN m.default_address THEN m.new_address ELSE r.address END
FROM moved m
WHERE r.id = m.id
"""


def reassign_kelurahan() -> int:
    """Give every report the kelurahan its point lies in under the current boundaries; #moved.

    For a change of boundary layer (ops.boundary_switch). One statement: on a million reports it
    takes seconds, not the minutes a loop would.
    """
    with connection.cursor() as cursor:
        cursor.execute(_REASSIGN_KELURAHAN_SQL, {"tolerance_m": settings.ROUTING_TOLERANCE_M})
        return int(cursor.rowcount)
