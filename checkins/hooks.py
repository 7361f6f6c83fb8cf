"""Extra lines a daily reminder may carry, offered by apps above `checkins` without it importing them.

An app registers a function from its AppConfig.ready(); the digest asks each one, for one person,
what to add. `wellbeing` adds the monthly self-check nudge this way (off unless the person asks).
"""

import dataclasses
from collections.abc import Callable


@dataclasses.dataclass(frozen=True)
class Nudge:
    text: str  # One sentence that names no one: it may show on a lock screen.
    url: str  # Absolute.


_nudge_providers: list[Callable] = []


def digest_nudge_register(provider: Callable) -> None:
    """`provider(*, user, now)` returns a Nudge or None. Registering the same function twice is a no-op."""
    if provider not in _nudge_providers:
        _nudge_providers.append(provider)


def digest_nudges(*, user, now) -> list[Nudge]:
    return [nudge for provider in _nudge_providers if (nudge := provider(user=user, now=now))]


class ChannelNotDelivered(Exception):
    """A channel could not deliver this time and may later (a push service's 429 or 5xx): retried."""


@dataclasses.dataclass(frozen=True)
class DigestChannel:
    """Another way than email for the daily reminder to reach a person (push registers one).

    `name` is a value of accounts.ReminderChannel. `can_reach(user)` says whether the person has
    somewhere to receive it now (a push device). `send(*, digest, user, supporters, now)` returns True
    once delivered, False when there turned out to be nowhere to deliver, or raises ChannelNotDelivered.
    """

    name: str
    can_reach: Callable
    send: Callable


_channels: dict[str, DigestChannel] = {}


def digest_channel_register(channel: DigestChannel) -> None:
    _channels[channel.name] = channel


def digest_channel(name: str) -> DigestChannel | None:
    return _channels.get(name)
