"""Sending digests, a batch at a time: one claim, one read of who is due, one SMTP connection.

Delivery is AT LEAST ONCE, on purpose. Every change of a digest's state is a compare-and-set (an
UPDATE filtered on the state and the claim token its writer expects), so a task delivered twice
never sends a second email and a sender whose claim was taken back stops before SMTP. A digest is
marked emailed in its own short UPDATE as soon as the SMTP server has accepted it. The one window
left for a duplicate is the SMTP transaction itself: a sender that dies after the server took the
message and before that UPDATE. Its claim is taken back after REMINDER_CLAIM_TAKEBACK_SECONDS and
the digest is sent again, with the same Message-ID. We accept that rare double over the
alternative (at most once), which would silently lose the reminder of anyone whose worker died
mid-send, and a lost reminder is the failure the person cannot see.
"""

import dataclasses
import logging
import smtplib
import time
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from checkins.due import due_supporters_of, local_date, supporter_days_since_contact, supporter_due_state
from checkins.hooks import ChannelNotDelivered, digest_channel, digest_nudges
from checkins.models import Digest, DigestStatus
from checkins.services.actions import Action, action_url
from checkins.services.check_ins import SNOOZE_DAYS
from checkins.services.schedule import users_schedule_recompute
from core.links import absolute_url

logger = logging.getLogger(__name__)

# SMTP errors that mean the connection itself is unusable (besides socket errors and timeouts).
CONNECTION_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    smtplib.SMTPAuthenticationError,
)


def connection_lost(error):
    """True when the connection is gone: the rest of the batch would only wait for the same timeout
    again, so it is handed back for a retry at once. Any other SMTP error is about one message (a
    refused address, a 451 for this one), and the batch carries on."""
    return isinstance(error, CONNECTION_ERRORS) or not isinstance(error, smtplib.SMTPException)


class DigestNotDelivered(Exception):
    """The mail server did not take the digest; the row is back to "queued" for a retry."""


@dataclasses.dataclass
class BatchOutcome:
    sent: list = dataclasses.field(default_factory=list)  # ids delivered on every channel asked for
    failed: dict = dataclasses.field(default_factory=dict)  # id → reason; back to "queued" for a retry


def digests_send(*, digest_ids):
    """Claim these digests and send each one, over one SMTP connection. Returns a BatchOutcome.

    The claim is one compare-and-set (queued → sending, with a fresh `claim_token`) for the whole
    batch: a digest another sender holds, or one already sent, is simply not in it. A batch stops
    starting new messages after REMINDER_BATCH_SECONDS, so it ends well inside the task's time limit
    that the takeback counts on; what it did not reach is handed back for a retry.
    """
    token = uuid.uuid4()
    claimed = Digest.objects.filter(pk__in=digest_ids, status=DigestStatus.QUEUED).update(
        status=DigestStatus.SENDING, claimed_at=timezone.now(), claim_token=token, attempts=F("attempts") + 1
    )
    outcome = BatchOutcome()
    if not claimed:
        return outcome  # Sent, being sent, or taken over by someone else: a second delivery stops here.
    digests = list(Digest.objects.filter(pk__in=digest_ids, claim_token=token).select_related("user"))
    due = due_supporters_of(users=[digest.user for digest in digests], now=timezone.now())
    mail = MailConnection()
    stop_at = time.monotonic() + settings.REMINDER_BATCH_SECONDS
    settled = []  # people whose digest for the day is settled: their next one is scheduled below
    try:
        for digest in digests:
            ours = Digest.objects.filter(pk=digest.pk, status=DigestStatus.SENDING, claim_token=token)
            if mail.lost or time.monotonic() > stop_at:
                reason = mail.lost or "The batch ran out of time before this digest; it is sent in a retry."
                outcome.failed[digest.pk] = digest_hand_back(ours=ours, reason=reason)
                continue
            try:
                result = digest_deliver(digest=digest, ours=ours, supporters=due[digest.user_id], mail=mail)
            except DigestNotDelivered as error:
                outcome.failed[digest.pk] = str(error)
                continue
            if result == DigestStatus.SENT:
                outcome.sent.append(digest.pk)
            if result in (DigestStatus.SENT, DigestStatus.SKIPPED, DigestStatus.MISSED):
                settled.append(digest.user)
        Digest.objects.filter(pk__in=outcome.sent, status=DigestStatus.SENDING, claim_token=token).update(
            status=DigestStatus.SENT, sent_at=timezone.now(), failure_reason=""
        )
    finally:
        mail.close()  # QUIT once every message is recorded as sent: a failure here changes nothing.
    users_schedule_recompute(users=settled, now=timezone.now())
    return outcome


def digest_deliver(*, digest, ours, supporters, mail):
    """Send one claimed digest by the channels its person chose. Returns the state it reached
    (sent, skipped, missed) or None when its claim was taken back; DigestNotDelivered on failure."""
    user = digest.user
    now = timezone.now()
    if local_date(now, user.zone) > digest.scheduled_on:
        # Never a reminder for a day that has passed: the next day's digest lists these people.
        return DigestStatus.MISSED if ours.update(status=DigestStatus.MISSED, claim_token=None) else None
    paused = user.reminders_paused_until and user.reminders_paused_until >= digest.scheduled_on
    if not supporters or not user.reminders_enabled or not user.is_active or paused:
        return DigestStatus.SKIPPED if ours.update(status=DigestStatus.SKIPPED) else None
    # Email, push or both (accounts.ReminderChannel). Push comes through checkins.hooks; with nowhere
    # to push to (no device, push off), the reminder comes by email rather than not at all.
    push = digest_channel("push")
    wants_push = user.reminder_channel in ("push", "both") and push is not None and push.can_reach(user)
    wants_email = user.reminder_channel in ("email", "both") or not wants_push
    message = digest_email_message(digest=digest, supporters=supporters, now=now) if wants_email else None
    # The last check before the part that cannot be undone, restarting the takeback clock.
    if not ours.update(claimed_at=timezone.now(), supporter_count=len(supporters)):
        logger.warning("Digest %s: claim taken back before sending; not sent by this sender", digest.pk)
        return None
    # Each channel is recorded the moment it delivers, so a retry sends only what has not arrived.
    failures = []
    if wants_push and digest.pushed_at is None:
        try:
            with translation.override(user.language):
                delivered = push.send(digest=digest, user=user, supporters=supporters, now=now)
            if delivered:
                ours.update(pushed_at=timezone.now())
            elif not wants_email:
                # Every device is gone (404/410): this time by email instead.
                wants_email = True
                message = digest_email_message(digest=digest, supporters=supporters, now=now)
        except ChannelNotDelivered as error:
            failures.append(f"Push: {error}")
    if wants_email and digest.emailed_at is None:
        try:
            mail.send(message)
            if not ours.update(emailed_at=timezone.now()):  # pragma: no cover - see the takeback setting
                logger.error("Digest %s was emailed after its claim was taken back", digest.pk)
        except (smtplib.SMTPException, OSError) as error:
            failures.append(f"{type(error).__name__}: {error}")
    if failures:
        raise DigestNotDelivered(digest_hand_back(ours=ours, reason="; ".join(failures)))
    return DigestStatus.SENT


def digest_hand_back(*, ours, reason):
    """Back to "queued" with the reason, for the task's retry (or the next sweep). Returns the reason."""
    reason = reason[:1000]
    ours.update(status=DigestStatus.QUEUED, queued_at=timezone.now(), claim_token=None, failure_reason=reason)
    return reason


class MailConnection:
    """One SMTP connection for a batch, opened at its first message and opened again after an error
    that concerned one message. Once the connection is lost, `lost` says why and nothing more is sent."""

    def __init__(self):
        self.connection = None
        self.lost = ""

    def send(self, message):
        if self.connection is None:
            self.connection = get_connection()
        try:
            self.connection.open()  # A no-op while open.
            self.connection.send_messages([message])
        except OSError as error:  # smtplib's errors are OSErrors too
            if connection_lost(error):
                self.lost = f"{type(error).__name__}: {error}"
            self.close()  # Even after one refused message: the next starts on a fresh connection.
            raise

    def close(self):
        """QUIT after the messages are accepted and recorded: a failure here changes nothing that matters."""
        if self.connection is None:
            return
        try:
            self.connection.close()
        except (smtplib.SMTPException, OSError) as error:
            logger.info("Closing the SMTP connection failed: %s", error)
        self.connection = None


def digest_mark_failed(*, digest_id, reason):
    """Give up on this attempt: recorded with its reason; the next sweep queues it again."""
    Digest.objects.filter(pk=digest_id, status=DigestStatus.QUEUED, claim_token=None).update(
        status=DigestStatus.FAILED, failure_reason=reason
    )
    logger.warning("Digest %s failed: %s", digest_id, reason)


def digest_email_message(*, digest, supporters, now):
    with translation.override(digest.user.language):  # The worker writes in the recipient's language.
        message = digest_email(digest=digest, supporters=supporters, now=now)
    message.extra_headers["Message-ID"] = digest.message_id()
    return message


def digest_email(*, digest, supporters, now):
    user = digest.user
    entries = []
    for supporter in supporters:
        entries.append(
            {
                "supporter": supporter,
                "days_since_contact": supporter_days_since_contact(supporter, now=now),
                "never_checked_in": supporter.last_check_in_at is None,
                "is_overdue": supporter_due_state(supporter, now=now) == "overdue",
                "reached_out_url": action_url(user=user, action=Action.REACHED_OUT, supporter=supporter),
                "snooze_url": action_url(user=user, action=Action.SNOOZE, supporter=supporter),
            }
        )
    unsubscribe_url = action_url(user=user, action=Action.UNSUBSCRIBE)
    context = {
        "user": user,
        "entries": entries,
        "snooze_days": SNOOZE_DAYS,
        "pause_url": action_url(user=user, action=Action.PAUSE),
        "unsubscribe_url": unsubscribe_url,
        "settings_url": absolute_url(reverse("accounts:settings")),
        "log_url": absolute_url(reverse("checkins:log")),
        "site_url": settings.SITE_URL,
        "nudges": digest_nudges(user=user, now=now),
    }
    subject = " ".join(render_to_string("emails/reminder-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/reminder-body.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string("emails/reminder-body.html", context), "text/html")
    return message
