"""A version per person that changes on every write to their supporters or check-ins.

Pages cache what they work out from a whole network (the dashboard's summary) under a key that
includes this version, so a write makes the old entry unreachable at once: nothing is ever
deleted or scanned for, and one person's write never touches another person's keys.

The version is a random token in the cache (Redis), let go after 30 days unused. A lost token (a
restart, an eviction, those 30 days) only means a new one, so every cached entry is rebuilt once.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

# A token unused this long is let go; the next page simply makes a new one.
VERSION_SECONDS = 30 * 24 * 3600


def _key(owner_id):
    return f"network-version:{owner_id}"


def network_version(owner_id) -> str:
    key = _key(owner_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, timeout=VERSION_SECONDS)
        version = cache.get(key)
    return version


def network_changed(owner_id) -> None:
    """Call on every write to this person's supporters or check-ins (the services do).

    Bumped now, so the writer's next page shows the change, and again when the transaction
    commits, so that a page built from the old rows in the meantime is not kept either.
    """
    cache.set(_key(owner_id), uuid.uuid4().hex, timeout=VERSION_SECONDS)
    transaction.on_commit(lambda: cache.set(_key(owner_id), uuid.uuid4().hex, timeout=VERSION_SECONDS))


def network_version_with(owner_id, *keys):
    """The network version and what the cache holds under `keys` ({key: value}), in one round trip.
    Without a version (a first page, or the token was let go) nothing can have been made from this
    one, so nothing else is returned."""
    values = cache.get_many([_key(owner_id), *keys])
    version = values.pop(_key(owner_id), None)
    if version is None:
        return network_version(owner_id), {}
    return version, values
