import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.encryption import EncryptedTextField


class CalendarFeed(models.Model):
    """A private iCalendar address for one person. Only a hash of its token is stored."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Calendar feed of {self.owner}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)


class ImportFormat(models.TextChoices):
    VCARD = "vcard", "vCard"
    CSV = "csv", "CSV"
    JSON = "json", _("SupportNet export (JSON)")


class PendingImport(models.Model):
    """An uploaded file, parsed and waiting for the person to confirm on the preview page.

    The parsed people live here, encrypted, rather than in hidden form fields: the confirm step
    trusts nothing the browser sends back except the batch choices.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports"
    )
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=10, choices=ImportFormat.choices)
    payload = EncryptedTextField(_("parsed contents (JSON)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Import of {self.file_name}"
