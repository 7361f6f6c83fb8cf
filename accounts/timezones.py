import zoneinfo
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext


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
            gettext("“%(value)s” is not a time zone we know. Pick one from the list, such as Europe/London."),
            params={"value": value},
        ) from error


DATA = Path(__file__).resolve().parent / "data"


@cache
def zone_countries():
    """Which country (ISO 3166 alpha-2) each time zone is in, from the tz database's own zone.tab,
    old zone names included (see accounts/data/SOURCE.md)."""
    countries = {}
    for line in (DATA / "zone.tab").read_text().splitlines():
        if line and not line.startswith("#"):
            country, _coordinates, zone, *_comment = line.split("\t")
            countries[zone] = country
    for line in (DATA / "zone-links.txt").read_text().splitlines():
        if line.startswith("L "):
            _, target, old_name = line.split()
            if target in countries:
                countries.setdefault(old_name, countries[target])
    return countries


def country_for_timezone(zone):
    """The country a time zone belongs to, or "" for zones of no one country (UTC, Etc/GMT+3)."""
    return zone_countries().get(zone, "")


@cache
def country_zones():
    """The zones of each country, space-separated, for the sign-up page to match the browser's zone."""
    zones = {}
    for zone, country in sorted(zone_countries().items()):
        zones.setdefault(country, []).append(zone)
    return {country: " ".join(names) for country, names in zones.items()}
