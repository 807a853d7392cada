"""What a subscriber is told, in Bahasa Indonesia or English: pure functions over plain values.

An alert names the category, the kelurahan and the report's public page; never the exact
point, the description or anything of the reporter (a sensitive category's position is its
public cell, and the public page shows no more than that).
"""

from __future__ import annotations

from dataclasses import dataclass

SUBJECT_NEW = (
    "[KLIK] Laporan baru: {category} di {place}",
    "[KLIK] New report: {category} in {place}",
)
SUBJECT_RESOLVED = (
    "[KLIK] Selesai: {category} di {place}",
    "[KLIK] Resolved: {category} in {place}",
)
LINE_NEW = (
    "Laporan baru: {category} di {place} ({code}).",
    "New report: {category} in {place} ({code}).",
)
LINE_RESOLVED = (
    "Sudah selesai ditangani: {category} di {place} ({code}).",
    "Resolved: {category} in {place} ({code}).",
)
SEE = ("Lihat: {url}", "See: {url}")
SOMEWHERE = ("wilayah yang Anda pantau", "the area you follow")
DIGEST_SUBJECT = (
    "[KLIK] Ringkasan harian: {n} kabar di wilayah Anda",
    "[KLIK] Daily digest: {n} updates in your area",
)
DIGEST_INTRO = (
    "Kabar hari ini di wilayah yang Anda pantau:",
    "Today's news in the area you follow:",
)
WHY = (
    "Anda menerima pesan ini karena berlangganan peringatan wilayah KLIK Bukittinggi ({area}).",
    "You receive this because you subscribed to KLIK Bukittinggi area alerts ({area}).",
)
UNSUBSCRIBE = (
    "Berhenti berlangganan (satu klik): {url}",
    "Unsubscribe (one click): {url}",
)
MANAGE = ("Kelola langganan Anda: {url}", "Manage your subscriptions: {url}")
CONFIRM_SUBJECT = (
    "[KLIK] Konfirmasi langganan peringatan wilayah",
    "[KLIK] Confirm your area alert subscription",
)
CONFIRM_TEXT = (
    "Seseorang (semoga Anda) meminta peringatan KLIK Bukittinggi untuk {area} ke alamat ini.\n"
    "Tidak ada yang dikirim sebelum Anda mengonfirmasi. Jika bukan Anda, abaikan pesan ini.\n\n"
    "Konfirmasi (berlaku 7 hari):",
    "Someone (hopefully you) asked for KLIK Bukittinggi alerts about {area} at this address.\n"
    "Nothing is sent before you confirm. If it was not you, ignore this message.\n\n"
    "Confirm (valid for 7 days):",
)
KELURAHAN_AREA = ("Kelurahan {name}", "Kelurahan {name}")
RADIUS_AREA = ("radius {radius} m dari titik pilihan Anda", "{radius} m around your chosen point")


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


@dataclass(frozen=True)
class News:
    """One report that became news, as the public may see it."""

    kind: str  # "new" or "resolved"
    code: str  # the tracking code
    category_id: str
    category_en: str
    kelurahan: str  # its name, or ""
    url: str  # the public tracking page


def area_text(*, kelurahan: str, radius_m: int | None, lang: str) -> str:
    if kelurahan:
        return pick(KELURAHAN_AREA, lang).format(name=kelurahan)
    return pick(RADIUS_AREA, lang).format(radius=radius_m)


def line(news: News, lang: str) -> str:
    pair = LINE_RESOLVED if news.kind == "resolved" else LINE_NEW
    category = news.category_en if lang == "en" else news.category_id
    place = news.kelurahan or pick(SOMEWHERE, lang)
    return pick(pair, lang).format(category=category, place=place, code=news.code)


def footer(*, area: str, unsubscribe_url: str, manage_url: str, lang: str) -> str:
    return "\n".join(
        [
            pick(WHY, lang).format(area=area),
            pick(MANAGE, lang).format(url=manage_url),
            pick(UNSUBSCRIBE, lang).format(url=unsubscribe_url),
        ]
    )


def alert(news: News, *, lang: str) -> tuple[str, str]:
    """Subject and first lines of an immediate alert."""
    pair = SUBJECT_RESOLVED if news.kind == "resolved" else SUBJECT_NEW
    category = news.category_en if lang == "en" else news.category_id
    subject = pick(pair, lang).format(
        category=category, place=news.kelurahan or pick(SOMEWHERE, lang)
    )
    return subject[:200], line(news, lang)


def digest(items: list[News], *, lang: str) -> tuple[str, str]:
    """Subject and body of a daily digest (oldest first), each line with its link."""
    subject = pick(DIGEST_SUBJECT, lang).format(n=len(items))
    lines = [pick(DIGEST_INTRO, lang), ""]
    for news in items:
        lines.append(f"- {line(news, lang)}")
        lines.append(f"  {pick(SEE, lang).format(url=news.url)}")
    return subject[:200], "\n".join(lines)


def confirmation(*, area: str, lang: str) -> tuple[str, str]:
    return pick(CONFIRM_SUBJECT, lang), pick(CONFIRM_TEXT, lang).format(area=area)
