"""The channel interface every notification channel implements, and the registry of channels.

A channel is a class named in ``settings.NOTIFY_CHANNELS`` ({name: dotted path}). Its
``send`` either returns (the message was handed over), raises ``Retry`` (temporary: back off
and try again later) or raises ``Refused`` (permanent: give up on this channel for this
message). A channel that is not configured (SMS without a gateway URL) says so through
``available()`` and is never offered or used.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from geo_klik.notify.models import ReporterContact


class Retry(Exception):
    """A temporary failure: the delivery is tried again after a back-off."""


class Refused(Exception):
    """A permanent failure: this channel gives up on this message."""


@dataclass(frozen=True)
class Rendered:
    """A message ready to send: its subject, plain text, link to the tracking page, language."""

    subject: str
    text: str
    url: str
    lang: str


class Channel:
    """One way to reach a reporter. Subclasses set ``name`` and implement the three methods.

    Error messages given to ``Retry``/``Refused`` are stored and shown to staff: they must
    never contain the contact's details (address, number, subscription endpoint).
    """

    name: ClassVar[str] = ""

    def available(self) -> bool:
        """Whether the channel is configured on this server (SMS is off unless set)."""
        return True

    def reaches(self, contact: ReporterContact) -> bool:
        """Whether ``contact`` holds what this channel needs (an address, a number, ...)."""
        raise NotImplementedError

    def send(self, contact: ReporterContact, rendered: Rendered) -> None:
        """Hand ``rendered`` over to ``contact``; raise Retry or Refused on failure."""
        raise NotImplementedError


@functools.cache
def _registry() -> dict[str, Channel]:
    channels: dict[str, Channel] = {}
    for name, path in settings.NOTIFY_CHANNELS.items():
        channel = import_string(path)()
        if not isinstance(channel, Channel) or channel.name != name:
            raise ValueError(f"NOTIFY_CHANNELS[{name!r}] is not a Channel named {name!r}")
        channels[name] = channel
    return channels


def reset_registry() -> None:
    """Forget the instantiated channels (settings changed, e.g. in a test)."""
    _registry.cache_clear()


def get_channel(name: str) -> Channel | None:
    """The configured and available channel called ``name``, or None."""
    channel = _registry().get(name)
    return channel if channel is not None and channel.available() else None


def available_channels() -> dict[str, Channel]:
    """Every configured channel that is available on this server, by name."""
    return {name: ch for name, ch in _registry().items() if ch.available()}
