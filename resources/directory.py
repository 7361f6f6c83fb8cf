"""The directory's two reads for other pages: queries, so page views call them and pass the results
to the templates (template tags only format).

The crisis lines of a country are read on almost every signed-in page (the dashboard's crisis panel),
so they are kept in the cache under the directory's version, a random token that every write to the
directory replaces (resources.versions.directory_changed: on a saved or deleted entry, a queryset's update, loaddata,
and after migrate), at once and again on commit, as contacts.versions does for a person's network.
A write made around the app (plain SQL) shows within DIRECTORY_SECONDS.
"""

from django.core.cache import cache

from resources.models import Resource
from resources.versions import VERSION_KEY, directory_version

# How long kept crisis lines may be read at most, whatever happens.
DIRECTORY_SECONDS = 300
# Part of the cache key: change it whenever Resource changes shape, so a deploy never reads old rows.
CRISIS_LINES_FORMAT = 1


def crisis_lines_keys(country):
    """The cache keys `crisis_lines_for` reads: a page may fetch them with its own in one round trip."""
    return [VERSION_KEY, f"crisis-lines:{CRISIS_LINES_FORMAT}:{country or ''}"]


def crisis_lines_for(*, country, cached=None):
    """Published crisis lines for a country (may be empty) and those that answer everywhere.

    `cached`: what the cache holds under `crisis_lines_keys(country)`, if the caller fetched it.
    """
    country = str(country or "")
    version_key, key = crisis_lines_keys(country)
    if cached is None:
        cached = cache.get_many([version_key, key])
    version, kept = cached.get(version_key), cached.get(key)
    if version is not None and kept is not None and kept[0] == version:
        return kept[1]
    if version is None:
        version = directory_version()
    lines = list(Resource.objects.published().crisis_lines().for_country(country).local_first())
    cache.set(key, (version, lines), timeout=DIRECTORY_SECONDS)
    return lines


def directory_for(*, country, topics):
    """Published resources for a country and everywhere, in one query, for the `offering` filter to
    split: those for anyone, and those for a topic the person chose to tell (never a default)."""
    return list(
        Resource.objects.published().for_country(str(country or "")).suggested_for(topics).local_first()
    )
