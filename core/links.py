from django.conf import settings


def absolute_url(path: str) -> str:
    """A link for outside the site (an email, a notification, a calendar): SITE_URL and the path."""
    return f"{settings.SITE_URL}{path}"
