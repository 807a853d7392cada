"""The demo accounts' password file: ``var/demo-accounts.txt``, readable by its owner only."""

from __future__ import annotations

import os
from pathlib import Path

HEADER = (
    "# geo_klik demo accounts (development only; never in production)\n"
    "# username\trole\tagency\tpassword\n"
)


def read(path: Path) -> dict[str, list[str]]:
    """Existing rows by username; an absent file is empty."""
    if not path.exists():
        return {}
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            fields = line.split("\t")
            if len(fields) == 4:
                rows[fields[0]] = fields
    return rows


def write(path: Path, rows: dict[str, list[str]]) -> None:
    """Replace the file atomically, created with mode 0600 (never readable by others)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    if temporary.exists():
        temporary.unlink()
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(HEADER)
        for fields in rows.values():
            handle.write("\t".join(fields) + "\n")
    os.chmod(temporary, 0o600)  # whatever the umask
    os.replace(temporary, path)
