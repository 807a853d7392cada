"""manage.py seed_community: a demo resident and demo posts on the real kelurahan, idempotent."""

from __future__ import annotations

from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command

from geo_klik.boundaries import importer
from geo_klik.community import seed
from geo_klik.community.models import Post


def run() -> str:
    out = StringIO()
    call_command("seed_community", stdout=out)
    return out.getvalue()


def test_it_does_nothing_without_boundaries(db: None) -> None:
    assert "No kelurahan boundaries" in run()
    assert not Post.objects.exists() and not User.objects.exists()


def test_it_seeds_the_real_city_once_and_keeps_edits(
    bukittinggi: importer.ImportReport,
) -> None:
    assert "12 demo post(s) created" in run()
    posts = Post.objects.all()
    assert posts.count() == len(seed.DEMO_POSTS) == 12
    assert all(p.is_demo and p.title.startswith("[contoh / demo]") for p in posts)
    assert posts.filter(kind="event").count() == 5
    assert posts.values("kelurahan").distinct().count() >= 9
    for pinned in posts.filter(location__isnull=False):
        assert pinned.location_approximate and pinned.kelurahan is not None
        assert pinned.location is not None
        assert pinned.kelurahan.boundary.covers(pinned.location)
    demo = User.objects.get(username=seed.DEMO_USERNAME)
    assert not demo.has_usable_password()
    edited = posts.get(demo_key="ronda")
    edited.title = "Diubah admin"
    edited.save()
    Post.objects.filter(demo_key="taman").delete()
    assert "1 demo post(s) created, 11 already there" in run()
    assert Post.objects.get(demo_key="ronda").title == "Diubah admin"
