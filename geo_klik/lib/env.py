"""Read typed settings from environment variables, failing loudly on malformed values."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit


class ConfigError(Exception):
    """An environment variable holds a value geo_klik cannot use."""

    def __init__(self, name: str, value: str, expected: str) -> None:
        super().__init__(
            f"Environment variable {name}={value!r} is invalid: expected {expected}. "
            f"Variabel lingkungan {name} tidak valid: seharusnya {expected}."
        )
        self.name = name


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Env:
    """A view of the environment with typed getters; `defaults` fill unset variables."""

    environ: Mapping[str, str]
    defaults: Mapping[str, str]

    def raw(self, name: str, default: str) -> str:
        if name in self.environ:
            return self.environ[name]
        return self.defaults.get(name, default)

    def string(self, name: str, default: str) -> str:
        return self.raw(name, default)

    def boolean(self, name: str, default: bool) -> bool:
        value = self.raw(name, "1" if default else "0").strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ConfigError(name, value, "one of 1/0, true/false, yes/no, on/off")

    def integer(self, name: str, default: int, *, minimum: int = 0, maximum: int = 2**31) -> int:
        value = self.raw(name, str(default)).strip()
        try:
            number = int(value)
        except ValueError:
            raise ConfigError(name, value, "a whole number") from None
        if not minimum <= number <= maximum:
            raise ConfigError(name, value, f"a whole number from {minimum} to {maximum}")
        return number

    def number(self, name: str, default: float, *, minimum: float = 0.0) -> float:
        value = self.raw(name, str(default)).strip()
        try:
            number = float(value)
        except ValueError:
            raise ConfigError(name, value, "a number") from None
        if math.isnan(number) or math.isinf(number) or number < minimum:
            raise ConfigError(name, value, f"a finite number of at least {minimum}")
        return number

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.raw(name, default).strip().upper()
        if value not in choices:
            raise ConfigError(name, value, "one of " + ", ".join(choices))
        return value

    def items(self, name: str, default: str) -> list[str]:
        value = self.raw(name, default)
        items = [item.strip() for item in value.split(",") if item.strip()]
        if not items:
            raise ConfigError(name, value, "a comma-separated list with at least one item")
        return items

    def directory(self, name: str, default: str) -> Path:
        value = self.raw(name, default)
        path = Path(value).expanduser()
        if not value.strip() or (path.exists() and not path.is_dir()):
            raise ConfigError(name, value, "the path of a directory")
        return path

    def database(self, name: str, default: str) -> dict[str, object]:
        value = self.raw(name, default)
        return parse_database_url(name, value)

    def redis_url(self, name: str, default: str) -> str:
        value = self.raw(name, default)
        parts = urlsplit(value)
        if parts.scheme not in {"redis", "rediss", "unix"}:
            raise ConfigError(name, value, "a redis://host:port/db URL")
        try:
            parts.port  # noqa: B018 - accessing .port validates it
        except ValueError:
            raise ConfigError(
                name, value, "a redis://host:port/db URL with a numeric port"
            ) from None
        if parts.scheme != "unix" and not parts.hostname:
            raise ConfigError(name, value, "a redis://host:port/db URL with a host")
        db = parts.path.lstrip("/")
        if db and not db.isdigit():
            raise ConfigError(name, value, "a redis://host:port/db URL whose db is a number")
        return value


def parse_database_url(name: str, value: str) -> dict[str, object]:
    """Turn postgres://user:pass@host:port/name?opt=val into a Django DATABASES entry."""
    parts = urlsplit(value)
    if parts.scheme not in {"postgres", "postgresql", "postgis"}:
        raise ConfigError(name, value, "a postgres://user:password@host:port/dbname URL")
    try:
        port = parts.port
    except ValueError:
        raise ConfigError(name, value, "a postgres:// URL with a numeric port") from None
    db_name = unquote(parts.path.lstrip("/"))
    if not db_name or "/" in db_name:
        raise ConfigError(name, value, "a postgres:// URL that names the database")
    options = dict(parse_qsl(parts.query))
    return {
        "ENGINE": "django.contrib.gis.db.backends.postgis",
        "NAME": db_name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": unquote(parts.hostname or options.pop("host", "")),
        "PORT": str(port or ""),
        "OPTIONS": options,
    }


def read_env_file(path: Path) -> dict[str, str]:
    """Read KEY=VALUE lines (as written by the local stack) into a dict; missing file: empty."""
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, val = line.partition("=")
            values[key.strip()] = val.strip()
    return values


def from_os(defaults_file: Path) -> Env:
    """The process environment, with the local stack's file as defaults."""
    return Env(environ=os.environ, defaults=read_env_file(defaults_file))
