"""Demo forum content: one demo resident and a dozen posts and events, marked is_demo.

Each row has a stable ``demo_key``; a run creates only the missing ones, so a row an admin has
edited (or hidden) is never overwritten. Pins are the kelurahan label points: guessed positions,
so they carry ``location_approximate``. Event times are set relative to the day of the run.
The posts themselves are in ``data/demo.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from geo_klik.boundaries.models import Kelurahan
from geo_klik.community.models import Post, Profile

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo.json"


@dataclass(frozen=True)
class DemoPost:
    key: str
    kind: str
    title: str
    body: str
    kelurahan_index: int | None  # position in the kelurahan ordered by code; None: whole city
    pinned: bool = True
    in_days: int = 0  # events: how many days after the run
    at: time = time(19, 30)
    hours: int = 2
    venue: str = ""


def _demo_post(raw: dict[str, Any]) -> DemoPost:
    """A post from the data file, whose ``at`` is written ``HH:MM``."""
    if "at" in raw:
        raw = {**raw, "at": time.fromisoformat(raw["at"])}
    return DemoPost(**raw)


def _load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


_DATA = _load()
DEMO_USERNAME: str = _DATA["username"]
DEMO_DISPLAY_NAME: str = _DATA["display_name"]
DEMO_MARK: str = _DATA["mark"]
EVENT, POST = Post.Kind.EVENT, Post.Kind.POST
DEMO_POSTS: tuple[DemoPost, ...] = tuple(_demo_post(raw) for raw in _DATA["posts"])


@dataclass
class SeedReport:
    boundaries_loaded: bool = True
    user_created: bool = False
    created: int = 0
    existing: int = 0

    def as_text(self) -> str:
        if not self.boundaries_loaded:
            return (
                "Tidak ada batas kelurahan; data contoh komunitas dilewati. / No kelurahan "
                "boundaries are loaded; community demo data skipped."
            )
        return (
            f"Komunitas / community: {self.created} demo post(s) created, {self.existing} "
            f"already there; demo resident {DEMO_USERNAME} "
            f"{'created' if self.user_created else 'already there'}."
        )


def _demo_user() -> tuple[User, bool]:
    user, created = get_user_model().objects.get_or_create(username=DEMO_USERNAME)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Profile.objects.get_or_create(user=user, defaults={"display_name": DEMO_DISPLAY_NAME})
    return user, created


def _event_times(demo: DemoPost, today: datetime) -> tuple[datetime, datetime]:
    day = (today + timedelta(days=demo.in_days)).date()
    starts = timezone.make_aware(datetime.combine(day, demo.at))
    return starts, starts + timedelta(hours=demo.hours)


def seed_demo() -> SeedReport:
    kelurahan = list(Kelurahan.objects.order_by("code_kemendagri"))
    if not kelurahan:
        return SeedReport(boundaries_loaded=False)
    report = SeedReport()
    with transaction.atomic():
        user, report.user_created = _demo_user()
        existing = set(
            Post.objects.filter(demo_key__in=[d.key for d in DEMO_POSTS]).values_list(
                "demo_key", flat=True
            )
        )
        today = timezone.localtime()
        for demo in DEMO_POSTS:
            if demo.key in existing:
                report.existing += 1
                continue
            place = None
            if demo.kelurahan_index is not None:
                place = kelurahan[demo.kelurahan_index % len(kelurahan)]
            location = place.label_point if place is not None and demo.pinned else None
            starts, ends = _event_times(demo, today) if demo.kind == EVENT else (None, None)
            Post.objects.create(
                demo_key=demo.key,
                is_demo=True,
                author=user,
                kind=demo.kind,
                title=DEMO_MARK + demo.title,
                body=demo.body,
                kelurahan=place,
                location=location,
                location_approximate=location is not None,
                starts_at=starts,
                ends_at=ends,
                venue=demo.venue,
            )
            report.created += 1
    return report
