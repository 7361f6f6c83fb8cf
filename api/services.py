"""Personal access tokens and the API's per-caller rate limit."""

import datetime
import math
import secrets

from django.conf import settings
from django.db.models import Q

from api.models import AccessToken, Scope
from core.counters import count_in_window
from core.tokens import token_digest

TOKEN_PREFIX = "sn_"  # noqa: S105 (a marker, not a secret)
# How often "last used" is written: at most once a minute per token, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
EXPIRY_CHOICES_DAYS = (7, 30, 90, 365)


def token_create(
    *, user, name: str, scope: str, expires_in_days: int, now: datetime.datetime
) -> tuple[AccessToken, str]:
    """Make a token; returns it with its secret, which is stored only as a hash and shown once."""
    if expires_in_days not in EXPIRY_CHOICES_DAYS:
        raise ValueError(f"A token lasts one of {EXPIRY_CHOICES_DAYS} days.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken(
        user=user,
        name=name,
        scope=Scope(scope),
        token_hash=token_digest(secret),
        prefix=secret[:10],
        expires_at=now + datetime.timedelta(days=expires_in_days),
    )
    token.full_clean()
    token.save()
    return token, secret


def token_revoke(*, token: AccessToken, now: datetime.datetime) -> None:
    AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)


def token_authenticate(*, secret: str, now: datetime.datetime) -> AccessToken | None:
    """The usable token with this secret, its user loaded, or None. Notes when it was last used."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (
        AccessToken.objects.usable(now).select_related("user").filter(token_hash=token_digest(secret)).first()
    )
    if token is None:
        return None
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    AccessToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    return token


def rate_limit_take(*, key: str, now: datetime.datetime) -> int:
    """Count one request against `key` in the current window (in the shared cache: Redis).

    Returns 0 when the request may go ahead, else the seconds until the window ends.
    """
    window = settings.API_RATE_LIMIT_WINDOW_SECONDS
    started = math.floor(now.timestamp() / window) * window
    bucket = f"api-rate:{key}:{started}"
    if count_in_window(bucket, window_seconds=window + 5) > settings.API_RATE_LIMIT_REQUESTS:
        return max(1, math.ceil(started + window - now.timestamp()))
    return 0
