"""Every address given to the services API and pages is answered exactly as recorded.

The record was made from the hand parser of ``public_services.lookup`` before the address was
checked by a serializer (API) and a Django form (pages); ``GEO_KLIK_RECORD=1`` rewrites it (only
when an answer is meant to change).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.test import Client

from tests.public_services.conftest import TinyOffices

RECORD = Path(__file__).with_name("address_answers.json")

ADDRESSES: dict[str, dict[str, str]] = {
    "nothing": {},
    "blank": {"kelurahan": "  ", "lat": " ", "lon": ""},
    "inside": {"lat": "-0.015", "lon": "100.005"},
    "inside padded": {"lat": " -0.015 ", "lon": " 100.005 "},
    "code": {"kelurahan": "99.01.02.1001"},
    "name": {"kelurahan": "  timur   UTARA "},
    "unknown": {"kelurahan": "Mars"},
    "unknown long": {"kelurahan": "x" * 200},
    "kelurahan wins": {"kelurahan": "99.01.02.1001", "lat": "x", "lon": "y"},
    "lat only": {"lat": "-0.015"},
    "lon only": {"lon": "100.005"},
    "lat text": {"lat": "utara", "lon": "100.005"},
    "lon text": {"lat": "-0.015", "lon": "timur"},
    "lat NaN": {"lat": "NaN", "lon": "100.005"},
    "lat infinite": {"lat": "-inf", "lon": "100.005"},
    "lat huge": {"lat": "1" + "0" * 400, "lon": "100.005"},
    "lat out of range": {"lat": "91", "lon": "100.005"},
    "lon out of range": {"lat": "0", "lon": "181"},
    "outside near": {"lat": "0.005", "lon": "100.005"},
    "outside far": {"lat": "-0.9", "lon": "100.9"},
    "repeated": {"lat": "-0.015", "lon": "100.005"},
}


def test_it_answers_every_address_exactly_as_recorded(client: Client, offices: TinyOffices) -> None:
    got: dict[str, Any] = {}
    for name, params in ADDRESSES.items():
        query: dict[str, Any] = dict(params)
        if name == "repeated":
            query["lat"] = ["1", "-0.015"]
        response = client.get("/api/services/which-office/", query)
        got[f"api {name}"] = {"status": response.status_code, "body": response.json()}
        page = client.get("/layanan/kantor-saya/", query)
        context = page.context
        at = context["at"]
        got[f"page {name}"] = {
            "status": page.status_code,
            "address_error": context["address_error"],
            "chosen_kelurahan": context["chosen_kelurahan"],
            "typed": [context["typed_lat"], context["typed_lon"]],
            "at": at.kelurahan.code_kemendagri if at is not None else None,
        }
    client.post("/i18n/setlang/", {"language": "en", "next": "/layanan/"})
    for name in ("unknown", "lat only", "lat text", "outside near", "outside far"):
        got[f"page en {name}"] = client.get("/layanan/kantor-saya/", ADDRESSES[name]).context[
            "address_error"
        ]
    detail = client.get("/api/services/ktp-el-baru/", ADDRESSES["outside near"])
    got["api detail outside near"] = {"status": detail.status_code, "body": detail.json()}
    if os.environ.get("GEO_KLIK_RECORD") == "1":
        RECORD.write_text(json.dumps(got, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    recorded = json.loads(RECORD.read_text())
    assert set(got) == set(recorded)
    for name, expected in recorded.items():
        assert got[name] == expected, name
