"""Let my people help: supporters who agreed to hear from SupportNet, asks for support, plan shares.

Nothing here is registered in the admin: moderators never see who agreed, what was asked or what
is shared. Every row belongs to one person (`owner`) and goes when their account goes.
"""

import secrets
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contacts.models import Supporter
from core.encryption import EncryptedTextField
from core.support_types import SupportType


def new_link_nonce():
    return secrets.token_hex(16)


class ConsentStatus(models.TextChoices):
    INVITED = "invited", _("Invited, not answered yet")
    AGREED = "agreed", _("Agreed")
    DECLINED = "declined", _("Said no")
    WITHDRAWN = "withdrawn", _("Withdrew")


class SupporterConsent(models.Model):
    """Whether one of the person's supporters agreed to hear from SupportNet, and their boundaries.

    SupportNet emails a supporter only while `status` is "agreed" (the invitation itself is the one
    email before that). The boundaries are the supporter's own: quiet hours in their time zone and
    the most asks a week they are happy with.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    supporter = models.OneToOneField(Supporter, on_delete=models.CASCADE, related_name="consent")
    email = models.EmailField(help_text=_("The address the invitation went to; asks go there too."))
    # How the invitation and asks name the person ("Sam"), as they chose when inviting.
    from_name = models.CharField(max_length=60)
    status = models.CharField(max_length=10, choices=ConsentStatus.choices, default=ConsentStatus.INVITED)
    # Changed on every new invitation, so links from an earlier one stop working.
    link_nonce = models.CharField(max_length=32, default=new_link_nonce)
    invited_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    how_to_ask = EncryptedTextField(_("how they like to be asked"), max_length=500, blank=True)
    quiet_from = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet until"), null=True, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    most_asks_per_week = models.PositiveSmallIntegerField(
        _("most asks a week"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )

    class Meta:
        indexes = [models.Index(fields=["owner", "status"]), models.Index(fields=["email", "status"])]
        constraints = [
            models.CheckConstraint(
                name="consent_status_is_known", condition=Q(status__in=ConsentStatus.values)
            ),
            models.CheckConstraint(
                name="consent_quiet_hours_both_or_neither",
                condition=Q(quiet_from__isnull=True, quiet_until__isnull=True)
                | Q(quiet_from__isnull=False, quiet_until__isnull=False),
            ),
        ]

    def __str__(self):
        return f"Consent of supporter {self.supporter_id} ({self.status})"

    @property
    def has_agreed(self):
        return self.status == ConsentStatus.AGREED

    def is_quiet_at(self, moment):
        """Whether `moment` falls in the supporter's quiet hours (which may run past midnight)."""
        if self.quiet_from is None or self.quiet_until is None:
            return False
        local = moment.astimezone(zoneinfo.ZoneInfo(self.timezone)).time()
        if self.quiet_from <= self.quiet_until:
            return self.quiet_from <= local < self.quiet_until
        return local >= self.quiet_from or local < self.quiet_until


class PlanShare(models.Model):
    """One supporter who agreed may read the person's current crisis plan. Revoking deletes the row."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    consent = models.OneToOneField(SupporterConsent, on_delete=models.CASCADE, related_name="plan_share")
    created_at = models.DateTimeField()

    def __str__(self):
        return f"Plan share {self.pk}"


class SupportAsk(models.Model):
    """One "I could use some support": the kind needed, the message, and whom it went to."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    support_type = models.CharField(max_length=15, choices=SupportType.choices)
    message = EncryptedTextField(max_length=1000)
    # The ask form's own one-time key: the same form sent twice records one ask.
    form_key = models.CharField(max_length=32)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "form_key"], name="support_ask_once_per_form"),
        ]

    def __str__(self):
        return f"Ask {self.pk} ({self.support_type})"


class DeliveryStatus(models.TextChoices):
    OWN_APP = "own_app", _("From my own phone or mail")
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent")


class AskRecipient(models.Model):
    """One supporter an ask went to, and, when SupportNet emails them, what became of that email."""

    ask = models.ForeignKey(SupportAsk, on_delete=models.CASCADE, related_name="recipients")
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="+")
    by_email = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.OWN_APP)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["supporter__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ask", "supporter"], name="ask_recipient_once_per_ask"),
        ]

    def __str__(self):
        return f"Recipient {self.supporter_id} of ask {self.ask_id}"


class SharingEventKind(models.TextChoices):
    INVITED = "invited", _("Invited to hear from SupportNet")
    AGREED = "agreed", _("Agreed")
    DECLINED = "declined", _("Said no")
    WITHDREW = "withdrew", _("Withdrew")
    BOUNDARIES = "boundaries", _("Changed how they like to be asked")
    SHARED = "shared", _("Can now see my crisis plan")
    REVOKED = "revoked", _("Can no longer see my crisis plan")
    ASKED = "asked", _("Asked for support")
    EMAILED = "emailed", _("Emailed by SupportNet")


class SharingEvent(models.Model):
    """The person's own record of every invitation, answer, share, ask and withdrawal.

    The supporter's name is copied in, so the record still reads after the supporter is deleted.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=SharingEventKind.choices)
    supporter_name = models.CharField(max_length=100, blank=True)
    happened_at = models.DateTimeField()

    class Meta:
        ordering = ["-happened_at", "-id"]
        indexes = [models.Index(fields=["owner", "-happened_at"])]

    def __str__(self):
        return f"{self.kind} at {self.happened_at:%Y-%m-%d %H:%M}"
