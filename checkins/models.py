import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contacts.models import Channel, Supporter
from core.encryption import EncryptedTextField


class InitiatedBy(models.TextChoices):
    ME = "me", _("I did")
    THEM = "them", _("They did")


class CheckInKind(models.TextChoices):
    """What the check-in was: connecting, or the person asking for support (logged by the ask)."""

    CONNECTED = "connected", _("Connected")
    ASKED_FOR_SUPPORT = "asked", _("Asked for support")


class Mood(models.IntegerChoices):
    """How a check-in felt, on a 1 to 5 scale shown in plain words."""

    HARD = 1, _("Hard")
    NOT_GREAT = 2, _("Not great")
    OKAY = 3, _("Okay")
    GOOD = 4, _("Good")
    REALLY_GOOD = 5, _("Really good")


class CheckIn(models.Model):
    """One time the owner and a supporter connected."""

    # Both are indexed as the leading column of the (…, happened_at) indexes below.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins", db_index=False
    )
    supporter = models.ForeignKey(
        Supporter, on_delete=models.CASCADE, related_name="check_ins", db_index=False
    )
    happened_at = models.DateTimeField(_("when"))
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    initiated_by = models.CharField(_("who reached out"), max_length=4, choices=InitiatedBy.choices)
    kind = models.CharField(max_length=10, choices=CheckInKind.choices, default=CheckInKind.CONNECTED)
    mood = models.PositiveSmallIntegerField(_("how it felt"), choices=Mood.choices, null=True, blank=True)
    note = EncryptedTextField(_("private note"), max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-happened_at"]),
            models.Index(fields=["supporter", "-happened_at"]),
        ]
        constraints = [
            models.CheckConstraint(name="checkin_channel_is_known", condition=Q(channel__in=Channel.values)),
            models.CheckConstraint(
                name="checkin_initiated_by_is_known", condition=Q(initiated_by__in=InitiatedBy.values)
            ),
            models.CheckConstraint(name="checkin_kind_is_known", condition=Q(kind__in=CheckInKind.values)),
            models.CheckConstraint(
                name="checkin_mood_on_the_scale", condition=Q(mood__isnull=True) | Q(mood__gte=1, mood__lte=5)
            ),
        ]

    def __str__(self):
        return f"{self.supporter} on {self.happened_at:%Y-%m-%d}"


class DigestStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Nothing to send")
    # Still unsent at the person's local midnight: never sent late; its people are in the next day's.
    MISSED = "missed", _("Day passed unsent")


UNSETTLED_STATES = (DigestStatus.QUEUED, DigestStatus.SENDING, DigestStatus.FAILED)


class DigestQuerySet(models.QuerySet):
    def stuck(self, *, now):
        """Digests in one state for longer than the sweep's recovery should ever leave them there."""
        interval = datetime.timedelta(seconds=settings.REMINDER_SWEEP_INTERVAL_SECONDS)
        requeue = datetime.timedelta(seconds=settings.REMINDER_REQUEUE_AFTER_SECONDS)
        takeback = datetime.timedelta(seconds=settings.REMINDER_CLAIM_TAKEBACK_SECONDS)
        return self.filter(
            Q(status=DigestStatus.QUEUED, queued_at__lt=now - requeue - interval)
            | Q(status=DigestStatus.SENDING, claimed_at__lt=now - takeback - interval)
            | Q(
                status=DigestStatus.FAILED,
                attempts__lt=settings.REMINDER_MAX_ATTEMPTS,
                queued_at__lt=now - 2 * interval,
            )
        )


class Digest(models.Model):
    """The one reminder email a person may get on one local day, and what became of it.

    The unique (user, scheduled_on) constraint is the backstop against a second email that day,
    whatever the queue does; `status` moves queued → sending → sent (or failed) by conditional
    UPDATEs, so only one worker ever holds the claim to send.

    Every change of state is a compare-and-set: an UPDATE filtered on the state (and `claim_token`)
    the writer last saw, and the writer checks that one row changed. A sender whose claim was taken
    back finds zero rows and stops.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    scheduled_on = models.DateField(help_text=_("The person's own local date this digest belongs to."))
    status = models.CharField(max_length=10, choices=DigestStatus.choices, default=DigestStatus.QUEUED)
    queued_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(
        null=True, blank=True, help_text=_("Who holds the claim to send: each attempt draws a new one.")
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    # Per channel, set the moment it delivered: a retry sends only what has not arrived (accounts.ReminderChannel).
    emailed_at = models.DateTimeField(null=True, blank=True)
    pushed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    failure_reason = models.TextField(blank=True)
    supporter_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DigestQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scheduled_on"], name="digest_one_per_user_per_local_day"
            ),
        ]
        indexes = [models.Index(fields=["status", "claimed_at"])]

    def __str__(self):
        return f"Digest for {self.user} on {self.scheduled_on} ({self.status})"

    def message_id(self):
        """The same Message-ID on every attempt, so a rare second copy is recognisably one message."""
        return f"<reminder-digest-{self.pk}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}>"


class UsedActionToken(models.Model):
    """A one-click link that has acted. The unique digest makes a second use of the same link a no-op."""

    digest = models.CharField(max_length=64, unique=True, help_text=_("SHA-256 of the signed token."))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=20)
    used_at = models.DateTimeField()

    def __str__(self):
        return f"{self.action} by {self.user_id} at {self.used_at:%Y-%m-%d %H:%M}"


class SweepHeartbeat(models.Model):
    """One row per kind of sweep (beat's, manual), written when it finishes, so /healthz can tell
    whether beat is alive."""

    name = models.CharField(max_length=30, unique=True)
    finished_at = models.DateTimeField()
    users_queued = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.name} at {self.finished_at:%Y-%m-%d %H:%M:%S}"


class DigestDayCount(models.Model):
    """How many digests were sent and failed on one local day, summed over everyone: no person here.

    Digest rows are deleted after a while (see the retention table in the README); these counts are
    what the moderators' figures keep of them.
    """

    day = models.DateField(unique=True, help_text=_("The people's own local date the digests belonged to."))
    sent = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day}: {self.sent} sent, {self.failed} failed"
