"""The directory's version: a random token that every write to the directory replaces, so what is
kept in the cache from the directory (resources.directory) is never read after a change."""

import uuid

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "directory-version"
# A token unused this long is let go; the next read simply makes a new one.
VERSION_SECONDS = 30 * 24 * 3600


def directory_changed(**_):
    """Call on every write to the directory (resources.models and resources.apps do). Replaced at
    once, and again on commit so that rows read in the meantime are not kept either."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=VERSION_SECONDS)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=VERSION_SECONDS))
