from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class AccessTokenQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(user=user)

    def usable(self, now):
        """Not revoked, not expired, and the account is active: checked on every request."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class AccessToken(models.Model):
    """A personal access token for the API. Only a SHA-256 hash of the secret is stored; the secret
    is shown once, when it is made. Tokens are long random strings, so a fast hash is enough."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=60)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the secret, so a person can tell their tokens apart in the list.
    prefix = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self):
        return self.scope == Scope.READ_WRITE

    def is_usable(self, now):
        return self.revoked_at is None and self.expires_at > now
