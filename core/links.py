from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _


def absolute_url(path: str) -> str:
    """A link for outside the site (an email, a notification, a calendar): SITE_URL and the path."""
    return f"{settings.SITE_URL}{path}"


class LinkRefused(Exception):
    """A link from an email that is forged, cut short, too old or no longer applicable. The message is
    safe to show."""


def signed_link_read(token, *, salt, max_age, expired_message):
    """The payload signed into a link, or LinkRefused: `expired_message` when it is older than `max_age`."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkRefused(expired_message) from error
    except signing.BadSignature as error:
        raise LinkRefused(_("This link is not valid. It may have been copied only in part.")) from error
