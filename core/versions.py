"""Versions: a random token in the cache (Redis) under a key, replaced on every write to what it
stands for. Whatever is cached from that data is kept under (or beside) the token, so a write makes
it unreachable at once: nothing is ever deleted or scanned for.

A token unused for VERSION_SECONDS is let go; a lost token (a restart, an eviction) only means a new
one, so everything cached under it is rebuilt once.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

VERSION_SECONDS = 30 * 24 * 3600


def version_read(key) -> str:
    """The token under `key`, made if there is none (two readers at once agree on one)."""
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, timeout=VERSION_SECONDS)
        version = cache.get(key)
    return version


def version_replace(key) -> None:
    """Call on every write: replaced now, so the writer's next read sees the change, and again when
    the transaction commits, so that what was built from the old rows in the meantime is not kept."""
    cache.set(key, uuid.uuid4().hex, timeout=VERSION_SECONDS)
    transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, timeout=VERSION_SECONDS))
