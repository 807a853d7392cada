"""What the reporter is told: one line per public event, in Bahasa Indonesia or English.

Pure functions over plain values (no database), so the wording is checked on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# status_to -> (Indonesian, English); "{agency}" is the SKPD's name.
STATUS_LINES: dict[str, tuple[str, str]] = {
    "routed": ("Laporan Anda diteruskan ke {agency}.", "Your report was routed to {agency}."),
    "triage": (
        "Laporan Anda sedang ditelaah Command Center.",
        "Your report is being reviewed by the Command Center.",
    ),
    "acknowledged": (
        "{agency} sudah menerima dan menangani laporan Anda.",
        "{agency} acknowledged your report and is handling it.",
    ),
    "dispatched": ("{agency} mengirim petugas.", "{agency} dispatched a crew."),
    "on_scene": ("Petugas sudah tiba di lokasi.", "The crew is on scene."),
    "resolved": (
        "{agency} menyatakan laporan Anda selesai.",
        "{agency} marked your report as resolved.",
    ),
    "closed": ("Laporan Anda ditutup.", "Your report was closed."),
    "transferred": (
        "Laporan Anda dialihkan ke {agency}.",
        "Your report was transferred to {agency}.",
    ),
    "duplicate": (
        "Laporan Anda digabung dengan laporan lain tentang kejadian yang sama.",
        "Your report was merged with another report of the same incident.",
    ),
    "rejected": ("Laporan Anda ditolak.", "Your report was rejected."),
}
REOPENED = ("Laporan Anda dibuka kembali.", "Your report was reopened.")
NOTE = ("Catatan dari {agency}:", "Note from {agency}:")
REASON = ("Alasan:", "Reason:")
PHOTO = ("Foto sesudah:", "Photo after:")
SOME_AGENCY = ("petugas", "the agency")
CLOSED_STATES = ("resolved", "closed", "rejected", "duplicate")
FOOTER = (
    "Lihat dan tanggapi laporan Anda (tautan ini khusus untuk Anda, jangan dibagikan):",
    "See and answer your report (this link is yours alone, do not share it):",
)
# After a resolution the reporter is asked whether it is really fixed (reports.actions: "not
# fixed" within REOPEN_DAYS reopens it, no answer closes it).
REOPEN_DAYS = 14
ASK_FIXED = (
    "Sudah beres? Jawab Ya atau Belum di halaman laporan Anda dalam {days} hari. "
    "Tanpa jawaban, laporan ditutup.",
    "Is it fixed? Answer Yes or Not yet on your report's page within {days} days. "
    "Without an answer, the report is closed.",
)
SUBJECT = ("[KLIK {code}] {headline}", "[KLIK {code}] {headline}")
UPDATES = ("Ada {n} kabar tentang laporan Anda", "{n} updates on your report")


@dataclass(frozen=True)
class EventFacts:
    """What a line needs to know of one public event."""

    kind: str  # "status" or "note"
    status_from: str
    status_to: str
    note: str
    agency_id_name: str  # the SKPD's Indonesian name, or ""
    agency_en_name: str
    photo_urls: list[str] = field(default_factory=list)


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def is_reopening(facts: EventFacts) -> bool:
    return facts.status_from in CLOSED_STATES and facts.status_to not in CLOSED_STATES


def line(facts: EventFacts, lang: str) -> str:
    """The text of one event: its headline, then the note or reason and photo links."""
    agency = (facts.agency_en_name if lang == "en" else facts.agency_id_name) or _pick(
        SOME_AGENCY, lang
    )
    if facts.kind == "note":
        head = _pick(NOTE, lang).format(agency=agency)
        return f"{head} {facts.note}".strip()
    pair = REOPENED if is_reopening(facts) else STATUS_LINES.get(facts.status_to)
    if pair is None:
        return ""
    parts = [_pick(pair, lang).format(agency=agency)]
    if facts.note:
        label = NOTE if facts.status_to == "resolved" else REASON
        prefix = _pick(label, lang).format(agency=agency)
        parts.append(f"{prefix} {facts.note}")
    parts += [f"{_pick(PHOTO, lang)} {url}" for url in facts.photo_urls]
    return "\n".join(parts)


def asks_fixed(facts: list[EventFacts]) -> bool:
    """Whether the message leaves the report resolved: its last status change is to resolved."""
    statuses = [f for f in facts if f.kind == "status"]
    return bool(statuses) and statuses[-1].status_to == "resolved"


def compose(code: str, facts: list[EventFacts], lang: str) -> tuple[str, str]:
    """Subject and body of one message covering ``facts`` (oldest first)."""
    lines = [text for text in (line(f, lang) for f in facts) if text]
    if len(lines) == 1:
        headline = lines[0].split("\n", 1)[0]
    else:
        headline = _pick(UPDATES, lang).format(n=len(lines))
    if asks_fixed(facts):
        lines.append(_pick(ASK_FIXED, lang).format(days=REOPEN_DAYS))
    subject = _pick(SUBJECT, lang).format(code=code, headline=headline)
    body = "\n\n".join(lines) + "\n\n" + _pick(FOOTER, lang)
    return subject[:200], body
