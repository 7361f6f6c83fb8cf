"""Who is calling: a personal access token (Authorization: Bearer), or the signed-in session with
CSRF for same-site calls. Both count requests against a per-caller limit and cap the body size."""

from django.conf import settings
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from api.models import AccessToken
from api.services import rate_limit_take, token_authenticate

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TooManyRequests(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(retry_after)


class BodyTooLarge(Exception):
    pass


def admit(request, *, caller: str, user) -> None:
    """Checks every authenticated request passes before its body is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.API_MAX_BODY_BYTES:
        raise BodyTooLarge
    retry_after = rate_limit_take(key=caller, now=timezone.now())
    if retry_after:
        raise TooManyRequests(retry_after)
    # Times given without an offset, and dates, are read in the person's own time zone.
    timezone.activate(user.zone)


class TokenAuth(HttpBearer):
    """A personal access token. It only ever opens the API: never the admin or any page."""

    def authenticate(self, request, token):
        access = token_authenticate(secret=token, now=timezone.now())
        if access is None:
            return None
        admit(request, caller=f"token:{access.pk}", user=access.user)
        if request.method not in SAFE_METHODS and not access.can_write:
            raise HttpError(
                403, "This token can only read. Make a token with read and write access to change data."
            )
        return access


class SessionAuth(APIKeyCookie):
    """The signed-in session, for calls from our own pages; writes need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        # A request that names a token is judged by the token alone; an anonymous one gets a 401.
        if "HTTP_AUTHORIZATION" in request.META or not request.user.is_authenticated:
            return None
        if check_csrf(request):
            raise HttpError(403, "The CSRF token is missing or wrong. Reload the page and try again.")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        if key is None:
            return None
        admit(request, caller=f"user:{request.user.pk}", user=request.user)
        return request.user


def caller_of(request):
    """The person whose data this request may read and change."""
    return request.auth.user if isinstance(request.auth, AccessToken) else request.auth
