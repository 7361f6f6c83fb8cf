import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError


@cache
def timezone_choices():
    """Every IANA zone this machine knows, as (value, label) pairs, sorted by name."""
    names = sorted(name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC")
    return [(name, name.replace("_", " ")) for name in names]


def validate_timezone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            "“%(value)s” is not a time zone we know. Pick one from the list, such as Europe/London.",
            params={"value": value},
        ) from error
