"""Links into the supporters and check-ins pages, which the dashboard only points at.

Each falls back to nothing (or to the supporters app's stable path) when the URL name is not there,
so the dashboard renders whatever else is installed.
"""

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse


def optional_url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def supporter_url(supporter_id):
    return optional_url("contacts:detail", supporter_id) or f"/supporters/{supporter_id}/"


def supporters_url(**filters):
    base = optional_url("contacts:list") or "/supporters/"
    return f"{base}?{urlencode(filters)}" if filters else base


def add_supporter_url():
    return optional_url("contacts:add") or "/supporters/new/"
