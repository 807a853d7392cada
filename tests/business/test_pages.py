"""The /usaha/ pages in Indonesian and English, their forms, and who may open them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from geo_klik.business import actions
from geo_klik.business.models import Business, Claim, Promotion, Revision
from tests.business.conftest import (
    OUTSIDE,
    TIMUR,
    WEEKEND_ONLY,
    MakeBusiness,
    MakePromotion,
    People,
)

pytestmark = pytest.mark.usefixtures("clock")


def as_user(client: Client, user: object) -> Client:
    client.force_login(user)  # type: ignore[arg-type]
    return client


def english(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/usaha/"})


def test_it_serves_the_directory_in_indonesian_then_english(
    client: Client, make_business: MakeBusiness
) -> None:
    make_business("Nasi Kapau Uni Ros", is_demo=True)
    make_business("Bengkel Tutup", category="jasa", hours=WEEKEND_ONLY)
    page = client.get("/usaha/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Direktori usaha (UMKM)" in html and "Nasi Kapau Uni Ros" in html
    assert "contoh / demo" in html and "Buka sekarang" in html and "Tutup sekarang" in html
    assert "2 usaha ditemukan" in html
    assert "cdn" not in html.lower()
    english(client)
    html = client.get("/usaha/").content.decode()
    assert "Business directory (UMKM)" in html and "example / demo" in html
    assert "2 businesses found" in html and "Open now" in html


def test_it_filters_the_directory_without_javascript(
    client: Client, make_business: MakeBusiness
) -> None:
    make_business("Kopi Ambun")
    make_business("Bordir Ema", category="bordir")
    make_business("Akhir Pekan", hours=WEEKEND_ONLY)
    html = client.get("/usaha/?category=bordir").content.decode()
    assert "Bordir Ema" in html and "Kopi Ambun" not in html
    html = client.get("/usaha/?q=kopi").content.decode()
    assert "Kopi Ambun" in html and "Bordir Ema" not in html
    html = client.get("/usaha/?open_now=1").content.decode()
    assert "Akhir Pekan" not in html and "Kopi Ambun" in html


def test_it_paginates_the_directory(client: Client, make_business: MakeBusiness) -> None:
    for n in range(23):
        make_business(f"Usaha {n:02d}")
    first = client.get("/usaha/").content.decode()
    assert "Usaha 19" in first and "Usaha 20" not in first and "Halaman 1 dari 2" in first
    second = client.get("/usaha/?page=2").content.decode()
    assert "Usaha 22" in second and "Usaha 00" not in second


def test_it_shows_a_listing_with_contact_links_hours_promotions_and_a_claim_button(
    client: Client, make_business: MakeBusiness, make_promotion: MakePromotion
) -> None:
    business = make_business(
        "Bordir Uni Ema", phone="0752 123 456", whatsapp="0812 3456 7890", is_demo=True
    )
    make_promotion(business, title="Diskon mukena")
    html = client.get(f"/usaha/{business.slug}/").content.decode()
    assert 'href="tel:0752123456"' in html
    assert 'href="https://wa.me/6281234567890"' in html
    assert "Senin–Jumat 09:00–17:00" in html and "Buka sekarang" in html
    assert "Diskon mukena" in html and "Klaim usaha ini" in html
    assert "Ini data contoh (demo)" in html
    assert client.get("/usaha/tidak-ada/").status_code == 404


def test_it_sends_visitors_to_log_in_with_next(client: Client, make_business: MakeBusiness) -> None:
    business = make_business()
    for url in (
        "/usaha/baru/",
        "/usaha/saya/",
        "/usaha/moderasi/",
        f"/usaha/{business.slug}/klaim/",
        f"/usaha/{business.slug}/ubah/",
        f"/usaha/{business.slug}/promosi/baru/",
    ):
        answer = client.get(url)
        assert answer.status_code == 302
        assert answer["Location"] == f"/akun/masuk/?next={url}"


def test_it_proposes_a_listing_from_the_form_and_keeps_input_on_errors(
    client: Client, people: People, tiny_city: object
) -> None:
    as_user(client, people.resident)
    form = {
        "name": "Laundry Bersih",
        "category": "jasa",
        "lat": OUTSIDE[0],
        "lon": OUTSIDE[1],
        "phone": "0752 123 456",
        "day0_opens": "08:00",
        "day0_closes": "17:00",
        "day1_opens": "08:00",
        "day1_closes": "17:00",
        "day5_opens": "09:00",
        "is_owner": "on",
    }
    refused = client.post("/usaha/baru/", form)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "di luar Kota Bukittinggi" in html and 'value="Laundry Bersih"' in html
    assert "Isi jam buka dan jam tutup" in html  # Saturday has an opening time only
    assert not Business.objects.exists()
    form.update(lat=TIMUR[0], lon=TIMUR[1], day5_opens="")
    sent = client.post("/usaha/baru/", form)
    business = Business.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/usaha/{business.slug}/"
    assert business.status == Business.Status.PENDING and business.proposer_is_owner
    assert business.opening_hours == [{"days": [0, 1], "opens": "08:00", "closes": "17:00"}]
    html = client.get(sent["Location"]).content.decode()
    assert "Menunggu moderasi" in html and "Terima kasih" in html


def test_it_claims_from_the_page_and_explains_an_owned_listing(
    client: Client, people: People, make_business: MakeBusiness
) -> None:
    free = make_business("Bebas")
    owned = make_business("Dimiliki", owner=people.resident2)
    as_user(client, people.resident)
    answer = client.post(
        f"/usaha/{free.slug}/klaim/", {"message": "NIB 123", "contact_phone": "0812 1111 2222"}
    )
    assert answer.status_code == 302 and answer["Location"] == "/usaha/saya/"
    assert Claim.objects.get().business == free
    html = client.get(f"/usaha/{owned.slug}/klaim/").content.decode()
    assert "hubungi Pemerintah Kota" in html and "Kirim klaim" not in html
    html = client.get("/usaha/saya/").content.decode()
    assert "Bebas" in html and "Menunggu moderasi" in html


def test_it_lets_the_owner_propose_changes_and_promotions_from_forms(
    client: Client, people: People, make_business: MakeBusiness
) -> None:
    business = make_business("Kopi Ambun", owner=people.resident, phone="0752 111 222")
    assert (
        as_user(Client(), people.resident2).get(f"/usaha/{business.slug}/ubah/").status_code == 403
    )
    as_user(client, people.resident)
    form = client.get(f"/usaha/{business.slug}/ubah/")
    assert 'value="Kopi Ambun"' in form.content.decode()
    answer = client.post(
        f"/usaha/{business.slug}/ubah/",
        {
            "name": "Kopi Ambun",
            "category": "kuliner",
            "lat": business.lat,
            "lon": business.lon,
            "phone": "0752 999 000",
            **{
                f"day{d}_{e}": t
                for d in range(5)
                for e, t in (("opens", "09:00"), ("closes", "17:00"))
            },
        },
    )
    assert answer.status_code == 302
    assert Revision.objects.get().changes == {"phone": "0752 999 000"}
    start = timezone.localtime() + dt.timedelta(days=1)
    answer = client.post(
        f"/usaha/{business.slug}/promosi/baru/",
        {
            "kind": "event",
            "title_id": "Kelas kopi",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert answer.status_code == 200
    assert "Waktu selesai harus sesudah waktu mulai" in answer.content.decode()
    assert not Promotion.objects.exists()


def test_it_shows_the_moderation_queue_to_moderators_only_and_decides_from_it(
    client: Client, people: People, make_business: MakeBusiness
) -> None:
    business = make_business()
    claim = actions.claim_business(
        people.resident, business, message="NIB 1", contact_phone="0812 1111 2222"
    )
    assert as_user(Client(), people.resident).get("/usaha/moderasi/").status_code == 403
    as_user(client, people.moderator)
    html = client.get("/usaha/moderasi/").content.decode()
    assert "Klaim kepemilikan" in html and "NIB 1" in html
    refused = client.post(f"/usaha/moderasi/claim/{claim.pk}/reject/", {"reason": ""}, follow=True)
    assert "Tuliskan alasannya" in refused.content.decode()
    client.post(f"/usaha/moderasi/claim/{claim.pk}/approve/")
    business.refresh_from_db()
    assert business.owner == people.resident
    assert client.post(f"/usaha/moderasi/claim/{claim.pk}/frobnicate/").status_code == 404
    english(client)
    assert "Business moderation" in client.get("/usaha/moderasi/").content.decode()


def test_it_lists_events_and_promotions(
    client: Client, make_business: MakeBusiness, make_promotion: MakePromotion
) -> None:
    business = make_business()
    make_promotion(business, title="Diskon sekarang")
    later = timezone.now() + dt.timedelta(days=900)
    make_promotion(business, title="Bazar nanti", starts=later, ends=later + dt.timedelta(hours=8))
    html = client.get("/usaha/promosi/").content.decode()
    assert "Diskon sekarang" in html and "Bazar nanti" in html and "Akan datang" in html
