"""Reminder preferences and each person's digest schedule (`User.next_digest_at`, which the sweep polls)."""

from django.conf import settings
from django.db.models import Max, Q

from accounts.models import REMINDER_PREFERENCE_FIELDS, User
from checkins.due import next_digest_at
from checkins.models import Digest, DigestStatus


def digest_done_filter():
    """Digests that are settled: sent, nothing to send, missed, or failed too often to retry."""
    return Q(status__in=[DigestStatus.SENT, DigestStatus.SKIPPED, DigestStatus.MISSED]) | Q(
        status=DigestStatus.FAILED, attempts__gte=settings.REMINDER_MAX_ATTEMPTS
    )


def last_digests_done_on(*, user_ids):
    """The latest local day whose digest is settled, for each of these people who has one: one query."""
    settled = Digest.objects.filter(digest_done_filter(), user__in=user_ids)
    return dict(settled.values("user").annotate(last=Max("scheduled_on")).values_list("user", "last"))


def users_next_digest_at(*, users, now):
    """When each person's next digest may go out ({user id: moment, or None}): one read."""
    last_done_on = last_digests_done_on(user_ids=[user.pk for user in users])
    slots = {}
    for user in users:
        last_on = last_done_on.get(user.pk)
        slots[user.pk] = next_digest_at(user, now=now, last_digest_on=last_on) if user.is_active else None
    return slots


def users_schedule_recompute(*, users, now):
    """Store when each person's next digest may go out (the column the sweep polls): one read, one write."""
    slots = users_next_digest_at(users=users, now=now)
    for user in users:
        user.next_digest_at = slots[user.pk]
    User.objects.bulk_update(users, ["next_digest_at"])


def user_schedule_recompute(*, user, now):
    users_schedule_recompute(users=[user], now=now)
    return user.next_digest_at


def reminder_preferences_update(*, user, now, **preferences):
    """Save a person's reminder preferences (the account page, the API) and reschedule their digest."""
    unknown = set(preferences) - set(REMINDER_PREFERENCE_FIELDS)
    if unknown:
        raise TypeError(f"Not a reminder preference: {', '.join(sorted(unknown))}")
    for name, value in preferences.items():
        setattr(user, name, value)
    user.save(update_fields=list(preferences))
    return user_schedule_recompute(user=user, now=now)


def reminders_pause(*, user, until_on, now):
    """No digests up to and including `until_on` (a local date)."""
    user.reminders_paused_until = until_on
    User.objects.filter(pk=user.pk).update(reminders_paused_until=until_on)
    user_schedule_recompute(user=user, now=now)


def reminders_unsubscribe(*, user, now):
    user.reminders_enabled = False
    User.objects.filter(pk=user.pk).update(reminders_enabled=False)
    user_schedule_recompute(user=user, now=now)
