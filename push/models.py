import hashlib

from django.conf import settings
from django.db import models

from core.encryption import EncryptedTextField


def endpoint_digest(endpoint: str) -> str:
    """SHA-256 of the endpoint: the encrypted column cannot be searched, this one can."""
    return hashlib.sha256(endpoint.encode("utf-8")).hexdigest()


class PushSubscription(models.Model):
    """One device (a browser on a phone or a computer) that shows this person's reminders.

    The endpoint is a secret capability URL at the browser's push service and the keys encrypt what
    we send there, so all three are stored encrypted. A push service that answers 404 or 410 has
    dropped the subscription, and so do we.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = EncryptedTextField(max_length=2048)
    # One row per endpoint, whoever it belongs to: a device already tied to one account is refused to another.
    endpoint_digest = models.CharField(max_length=64, unique=True, editable=False)
    p256dh = EncryptedTextField("public key", max_length=100)
    auth = EncryptedTextField("auth secret", max_length=50)
    device_name = models.CharField(max_length=100)
    created_at = models.DateTimeField()
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.device_name} ({self.user_id})"

    def subscription_info(self):
        """The shape pywebpush (and the browser's PushSubscription.toJSON()) uses."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
