"""Counting tries in a window, in the shared cache (Redis): the rate limits of sharing, the API and
the delete-account form all count this way."""

from django.core.cache import cache


def count_in_window(key: str, *, window_seconds: int) -> int:
    """Count one more try under `key`, which lives `window_seconds` from its first try; the count so far."""
    cache.add(key, 0, window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # The key expired between add and incr: a new window starts with this try.
        cache.set(key, 1, window_seconds)
        return 1
