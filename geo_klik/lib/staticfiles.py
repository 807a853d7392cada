"""Serve single files of npm packages (node_modules) as static files, e.g. OpenLayers' ol.css.

``STATICFILES_DIRS`` maps whole folders; some packages keep a needed file next to megabytes
of sources we must not collect. ``settings.NPM_FILES`` maps a static path to one file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage


class NpmFileFinder(BaseFinder):
    """Finds the files named in settings.NPM_FILES ({static path: path under node_modules})."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        root = Path(settings.BASE_DIR) / "node_modules"
        self.files = {static: root / source for static, source in settings.NPM_FILES.items()}

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return [
            Error(f"{source} is missing: run scripts/bootstrap (npm ci)", id="geo_klik.E001")
            for source in self.files.values()
            if not source.is_file()
        ]

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        """The file's path (or a list of it with find_all), None/[] when not ours."""
        source = self.files.get(path)
        found = str(source) if source is not None and source.is_file() else None
        if find_all:
            return [found] if found else []
        return found

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for static, source in self.files.items():
            if source.is_file():
                storage = FileSystemStorage(location=str(source.parent))
                storage.prefix = str(Path(static).parent)  # type: ignore[attr-defined]
                yield source.name, storage
