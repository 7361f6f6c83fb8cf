"""Subscriptions per device and sending one notification: every write of the push app lives here.

The protocol is pywebpush's (RFC 8291 aes128gcm payload encryption, RFC 8292 VAPID); what is
ours is what a push service's answer means. 201 Created is the only "delivered" (RFC 8030 §5);
404 and 410 say the subscription is gone, so the row goes; anything else (429, 5xx, a refused
connection, a time-out, an unexpected answer) raises `PushNotDelivered` to be retried.
"""

import dataclasses
import logging
import re
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from pywebpush import WebPushException, webpush

from checkins.hooks import ChannelNotDelivered
from push.keys import b64url_decode
from push.models import PushSubscription, endpoint_digest

logger = logging.getLogger(__name__)

MAX_ENDPOINT_LENGTH = 2048
MAX_DEVICES = 20
# Push services cap the encrypted record at 4096 bytes; ours are a few hundred.
MAX_PAYLOAD_BYTES = 3000


class SubscriptionRefused(Exception):
    """What the browser sent is not a subscription we can use. The message is safe to show."""


class PushNotDelivered(ChannelNotDelivered):
    """The push service did not take the notification this time; worth trying again later."""


@dataclasses.dataclass(frozen=True)
class SubscriptionData:
    endpoint: str
    p256dh: str
    auth: str


def subscription_data_clean(data) -> SubscriptionData:
    """Check a PushSubscription.toJSON() from the browser. Raises SubscriptionRefused, saying why."""
    if not isinstance(data, dict):
        raise SubscriptionRefused(gettext("This is not a push subscription."))
    endpoint = data.get("endpoint")
    keys = data.get("keys")
    if not isinstance(endpoint, str) or not isinstance(keys, dict):
        raise SubscriptionRefused(gettext("The subscription needs an endpoint and keys."))
    if len(endpoint) > MAX_ENDPOINT_LENGTH:
        raise SubscriptionRefused(gettext("The subscription's address is too long."))
    try:
        parts = urlsplit(endpoint)
    except ValueError:
        parts = None
    if parts is None or parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        raise SubscriptionRefused(
            gettext("The subscription's address must be an https:// address of a push service.")
        )
    if re.search(r"[\s\x00-\x1f\x7f]", endpoint):
        raise SubscriptionRefused(
            gettext("The subscription's address must be an https:// address of a push service.")
        )
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not isinstance(p256dh, str) or not isinstance(auth, str) or len(p256dh) > 100 or len(auth) > 50:
        raise SubscriptionRefused(gettext("The subscription's keys are missing or too long."))
    try:
        public_key = b64url_decode(p256dh)
        auth_secret = b64url_decode(auth)
    except ValueError:
        raise SubscriptionRefused(gettext("The subscription's keys are not base64url text.")) from None
    if len(public_key) != 65 or public_key[0] != 4:
        raise SubscriptionRefused(
            gettext("The subscription's public key must be an uncompressed P-256 point.")
        )
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public_key)
    except ValueError:
        raise SubscriptionRefused(gettext("The subscription's public key is not a point on P-256.")) from None
    if len(auth_secret) != 16:
        raise SubscriptionRefused(gettext("The subscription's auth secret must be 16 bytes."))
    return SubscriptionData(endpoint=endpoint, p256dh=p256dh.rstrip("="), auth=auth.rstrip("="))


def notification_devices_context(*, user) -> dict:
    """What the account page shows of this person's devices, and the switch for this one."""
    return {
        "devices": list(user.push_subscriptions.all()) if settings.WEBPUSH_ENABLED else [],
        "push_enabled": settings.WEBPUSH_ENABLED,
        "vapid_public_key": settings.WEBPUSH_VAPID_PUBLIC_KEY,
    }


def push_subscription_save(*, user, data: SubscriptionData, device_name: str, now) -> PushSubscription:
    """Store this device for `user`, or refresh it if it is theirs already.

    A device whose subscription belongs to another account is refused (it would show their reminders
    here, or ours there): that account must turn notifications off on it first.
    """
    digest = endpoint_digest(data.endpoint)
    with transaction.atomic():
        existing = PushSubscription.objects.select_for_update().filter(endpoint_digest=digest).first()
        if existing and existing.user_id != user.pk:
            raise SubscriptionRefused(
                gettext(
                    "This browser already shows reminders for another SupportNet account. Sign in to that "
                    "account and turn notifications off on this device first."
                )
            )
        if existing:
            existing.p256dh, existing.auth = data.p256dh, data.auth
            existing.save(update_fields=["p256dh", "auth"])
            return existing
        if PushSubscription.objects.filter(user=user).count() >= MAX_DEVICES:
            raise SubscriptionRefused(
                gettext(
                    "You have %(count)d devices with notifications on. Remove one you no longer use first."
                )
                % {"count": MAX_DEVICES}
            )
        try:
            with transaction.atomic():
                return PushSubscription.objects.create(
                    user=user,
                    endpoint=data.endpoint,
                    endpoint_digest=digest,
                    p256dh=data.p256dh,
                    auth=data.auth,
                    device_name=device_name[:100],
                    created_at=now,
                )
        except IntegrityError:
            raise SubscriptionRefused(
                gettext("This device was just turned on from another page. Reload to see it.")
            ) from None


def push_subscription_delete(*, user, endpoint: str) -> bool:
    """Turn notifications off for the device with this endpoint, if it is the user's."""
    deleted, _ = PushSubscription.objects.filter(
        user=user, endpoint_digest=endpoint_digest(endpoint)
    ).delete()
    return bool(deleted)


# --- Sending ------------------------------------------------------------------------------------


def vapid_claims():
    # pywebpush adds "aud" (the push service's origin) and "exp" (12 hours) per endpoint.
    return {"sub": settings.WEBPUSH_VAPID_SUBJECT}


_session = None


def http_session():
    """One keep-alive session per process: most pushes go to the same few push services."""
    global _session
    if _session is None:
        _session = requests.Session()
    return _session


def push_send(*, subscription: PushSubscription, payload: str, now) -> bool:
    """Send one encrypted notification. True when the push service accepted it (201).

    False when the subscription is gone (404/410): the row is deleted. Anything else raises
    PushNotDelivered with a reason that names no one.
    """
    if len(payload.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        raise ValueError("A notification's payload must stay under 3000 bytes.")
    host = urlsplit(subscription.endpoint).hostname
    try:
        response = webpush(
            subscription_info=subscription.subscription_info(),
            data=payload,
            vapid_private_key=settings.WEBPUSH_VAPID_PRIVATE_KEY,
            vapid_claims=vapid_claims(),
            ttl=settings.WEBPUSH_TTL_SECONDS,
            timeout=settings.WEBPUSH_TIMEOUT_SECONDS,
            headers={"Urgency": "normal"},
            requests_session=http_session(),
        )
        status = response.status_code
    except WebPushException as error:
        status = error.status_code
        if status is None:
            raise PushNotDelivered(f"Push service {host}: {error.message}"[:1000]) from error
    except requests.RequestException as error:
        raise PushNotDelivered(f"Push service {host}: {type(error).__name__}"[:1000]) from error
    if status == 201:
        PushSubscription.objects.filter(pk=subscription.pk).update(last_success_at=now)
        return True
    if status in (404, 410):
        PushSubscription.objects.filter(pk=subscription.pk).delete()
        logger.info("Push subscription %s is gone (%s): removed", subscription.pk, status)
        return False
    raise PushNotDelivered(f"Push service {host} answered {status}")


def push_send_to_user(*, user, payload: str, now) -> bool:
    """Send to every device of this person. True if at least one device's push service took it.

    Raises PushNotDelivered when none took it and at least one may take it later; False when the
    person has no device left (all gone, or none).
    """
    delivered = False
    reasons = []
    for subscription in PushSubscription.objects.filter(user=user):
        try:
            delivered = push_send(subscription=subscription, payload=payload, now=now) or delivered
        except PushNotDelivered as error:
            reasons.append(str(error))
    if not delivered and reasons:
        raise PushNotDelivered("; ".join(reasons)[:1000])
    return delivered


# --- The daily reminder's push channel (registered with checkins.hooks by PushConfig.ready) --------


def push_reaches(user) -> bool:
    return settings.WEBPUSH_ENABLED and PushSubscription.objects.filter(user=user).exists()


def push_digest_send(*, digest, user, supporters, now) -> bool:
    """Today's reminder as a notification on every device. True once a push service took it (201)."""
    from push.notifications import as_payload, digest_notification

    payload = as_payload(digest_notification(user=user, supporters=supporters, now=now))
    return push_send_to_user(user=user, payload=payload, now=now)
