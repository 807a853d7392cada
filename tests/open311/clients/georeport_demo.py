"""Run independent Open311 clients from PyPI against a live geo_klik (not part of `make test`).

geo_klik does not depend on them: run this with a throwaway virtualenv's Python, e.g.

    python3 -m venv /tmp/o311venv
    /tmp/o311venv/bin/pip install georeport==0.3.1 three==0.8.0
    /tmp/o311venv/bin/python tests/open311/clients/georeport_demo.py \
        http://127.0.0.1:8311/open311/v2/ <api_key> <photo.jpg> <lat> <lon>

- ``georeport`` 0.3.1 (Python 3) lists services, reads a service definition and reads the
  request back; it has no POST.
- ``three`` 0.8.0 (Code for America's client) POSTs the request with its photo as the
  multipart ``media`` file and reads ``servicerequestupdates``. It was written for Python 2:
  its only obstacle on Python 3 is ``itertools.ifilter``, given here as ``filter``.
"""

from __future__ import annotations

import itertools
import json
import sys
from typing import Any

itertools.ifilter = filter  # type: ignore[attr-defined]  # three 0.8.0's one Python 2 name

import georeport  # type: ignore[import-not-found]  # noqa: E402 - after the shim
import three  # type: ignore[import-not-found]  # noqa: E402


def show(title: str, value: Any) -> None:
    print(f"== {title}")
    print(json.dumps(value, ensure_ascii=False, indent=1)[:1500])


def main(endpoint: str, api_key: str, photo_path: str, lat: str, lon: str) -> int:
    reader = georeport.GeoReport(endpoint, output_format="xml")
    services = reader.get_service_list()
    show(
        "georeport: services.xml (service_code, metadata)",
        [(s["service_code"], s["metadata"]) for s in services],
    )
    show("georeport: services/road_damage.xml", reader.get_service_definition("road_damage"))

    writer = three.Three(endpoint, api_key=api_key, format="json")
    with open(photo_path, "rb") as photo:
        created = writer.post(
            "road_damage",
            lat=lat,
            long=lon,
            description="Lubang di jalan (uji klien three) / pothole (three client test)",
            media=photo,
        )
    print(f"== three: POST requests.json -> HTTP {writer.post_response.status_code}")
    show("three: answer", created)
    request_id = created[0]["service_request_id"]

    show(f"georeport: requests/{request_id}.xml", reader.get_service_request(request_id))
    updates = writer.get("servicerequestupdates", service_request_id=request_id)
    show(f"three: servicerequestupdates.json?service_request_id={request_id}", updates)
    photo_url = reader.get_service_request(request_id)["media_url"]
    return 0 if photo_url and updates else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
