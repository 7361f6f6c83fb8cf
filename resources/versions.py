"""The directory's version: a core.versions token that every write to the directory replaces, so what
is kept in the cache from the directory (resources.directory) is never read after a change."""

from core.versions import version_read, version_replace

VERSION_KEY = "directory-version"


def directory_version():
    return version_read(VERSION_KEY)


def directory_changed(**_):
    """Call on every write to the directory (resources.models and resources.apps do)."""
    version_replace(VERSION_KEY)
