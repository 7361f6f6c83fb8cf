"""A version per person that changes on every write to their supporters or check-ins.

Pages cache what they work out from a whole network (the dashboard's summary) under a key that
includes this version, so a write makes the old entry unreachable at once: nothing is ever
deleted or scanned for, and one person's write never touches another person's keys.

The version is a core.versions token, let go after 30 days unused.
"""

from django.core.cache import cache

from core.versions import version_read, version_replace


def _key(owner_id):
    return f"network-version:{owner_id}"


def network_version(owner_id) -> str:
    return version_read(_key(owner_id))


def network_changed(owner_id) -> None:
    """Call on every write to this person's supporters or check-ins (the services do)."""
    version_replace(_key(owner_id))


def network_version_with(owner_id, *keys):
    """The network version and what the cache holds under `keys` ({key: value}), in one round trip.
    Without a version (a first page, or the token was let go) nothing can have been made from this
    one, so nothing else is returned."""
    values = cache.get_many([_key(owner_id), *keys])
    version = values.pop(_key(owner_id), None)
    if version is None:
        return network_version(owner_id), {}
    return version, values
