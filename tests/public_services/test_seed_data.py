"""public_services/data/catalogue.json read into typed seeds; broken entries refused."""

from __future__ import annotations

from typing import Any

import pytest

from geo_klik.public_services import seed_data

STEPS = {"SHORT": [["Datang.", "Come."]]}
DOCS = {"KK": seed_data.Doc("Kartu Keluarga", "Family card")}


def raw_service(**changes: Any) -> dict[str, Any]:
    service = {
        "slug": "contoh",
        "topic": "kependudukan",
        "order": 1,
        "name_id": "Contoh",
        "name_en": "Example",
        "summary_id": "",
        "summary_en": "",
        "audience_id": "",
        "audience_en": "",
        "apply_at": ["mpp"],
        "documents": ["KK", {"name_id": "Akta", "name_en": "Certificate", "count": 2}],
        "legal_basis": "",
        "output_id": "",
        "output_en": "",
        "steps": "SHORT",
    }
    return service | changes


def test_it_reads_shared_documents_and_steps_by_name_and_the_others_inline() -> None:
    service = seed_data._service(raw_service(), DOCS, STEPS)

    assert service.documents[0] is DOCS["KK"]
    assert service.documents[1] == seed_data.Doc("Akta", "Certificate", count=2)
    assert service.steps == (("Datang.", "Come."),)
    assert service.apply_at == ("mpp",)
    inline = seed_data._service(raw_service(steps=[["A", "B"]]), DOCS, STEPS)
    assert inline.steps == (("A", "B"),)
    assert seed_data._service(raw_service(steps=[]), DOCS, STEPS).steps == ()


@pytest.mark.parametrize(
    "changes",
    [
        {"documents": ["KTP"]},  # no such shared document
        {"steps": "LONG"},  # no such shared steps
        {"steps": [["only Indonesian"]]},
        {"documents": [{"name_id": "Akta", "name_en": "Certificate", "copies": 2}]},
        {"fee": 1000},  # a key the service does not have
    ],
)
def test_it_refuses_a_broken_entry_when_the_file_is_read(changes: dict[str, Any]) -> None:
    with pytest.raises((KeyError, TypeError, ValueError)):
        seed_data._service(raw_service(**changes), DOCS, STEPS)


def test_it_reads_the_whole_catalogue() -> None:
    slugs = [s.slug for s in seed_data.SERVICES]
    assert len(slugs) == len(set(slugs)) == 18
    assert all(s.documents for s in seed_data.SERVICES)
    assert len(seed_data.CITY_WIDE_OFFICES) == 3 and len(seed_data.PUSKESMAS) == 7
