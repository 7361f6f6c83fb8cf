import datetime
import hashlib

from django.core.cache import cache

# Someone signing up with an address that already has an account: its owner hears of the first
# attempt, then of at most one more a day, however many attempts follow (README, Security).
SIGNUP_NOTICE_INTERVAL = datetime.timedelta(hours=24)


def account_signup_notice_claim(*, email: str) -> bool:
    """Whether to email the owner of `email` about this sign-up attempt: yes for the first in a day.

    Recorded in the shared cache (Redis) under a hash of the address, apart from the request rate
    limits, so a flood of attempts sends one email and a rate-limited attempt still sends that one.
    """
    return cache.add(signup_notice_key(email), True, timeout=int(SIGNUP_NOTICE_INTERVAL.total_seconds()))


def signup_notice_key(email: str) -> str:
    """The cache key that remembers a notice was sent, by a hash of the address (never the address)."""
    return f"signup-notice:{hashlib.sha256(email.strip().lower().encode()).hexdigest()}"
