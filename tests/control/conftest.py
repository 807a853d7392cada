"""The dispatch fixtures the staff personas build on."""

from tests.dispatch.conftest import (  # noqa: F401
    categories,
    command_center,
    make_agency,
    make_jurisdiction,
    make_report,
    zones,
)
