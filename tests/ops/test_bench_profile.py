"""The sampling profile of `make bench` (bench/profile_server.py) reads py-spy's stacks right."""

from __future__ import annotations

from bench import profile_server

SITE = "/work/x/.venv/lib/python3.11/site-packages"
RAW = f"""\
process 10:"python -m uvicorn";thread (0x7f);run (/usr/lib/python3.11/threading.py:975);\
view (/work/x/geo_klik/reports/api.py:40);execute ({SITE}/django/db/backends/utils.py:89) 6
process 10:"python -m uvicorn";thread (0x7f);run (/usr/lib/python3.11/threading.py:975);\
view (/work/x/geo_klik/reports/api.py:40) 2
process 11:"python -m uvicorn";thread (0x7e);\
run_forever (/usr/lib/python3.11/asyncio/base_events.py:607) 2
garbage without a count
"""


def test_it_attributes_self_time_to_the_innermost_frame_s_package() -> None:
    summary = profile_server.summarise(RAW)
    assert summary["samples"] == 10
    assert summary["self_time_by_package"] == {
        "django": {"self_pct": 60.0},
        "geo_klik.reports": {"self_pct": 20.0},
        "stdlib:asyncio": {"self_pct": 20.0},
    }


def test_it_ranks_application_functions_by_inclusive_time() -> None:
    heaviest = profile_server.summarise(RAW)["heaviest_functions"]
    # threading's run is under 80% of the samples but is machinery, not the application.
    assert list(heaviest) == ["view (api)", "execute (utils)"]
    assert heaviest["view (api)"] == {"inclusive_pct": 80.0, "self_pct": 20.0}
    assert heaviest["execute (utils)"] == {"inclusive_pct": 60.0, "self_pct": 60.0}


def test_an_empty_profile_says_so() -> None:
    assert profile_server.summarise("") == {"samples": 0}


def test_packages_of_paths() -> None:
    assert profile_server.package_of(f"{SITE}/rest_framework/views.py") == "rest_framework"
    assert profile_server.package_of(f"{SITE}/six.py") == "six"
    assert profile_server.package_of("/w/geo_klik/settings.py") == "geo_klik.project"
    assert profile_server.package_of("/usr/lib/python3.11/json/decoder.py") == "stdlib:json"
    assert profile_server.package_of("<string>") == "other"
