"""Keep the stored due moments right when the rows they derive from are saved by other apps.

`contacts` and `accounts` sit below `checkins` and must not import it, yet a supporter's rhythm,
the person's time zone, circle defaults and reminder preferences decide what the sweep reads.
So checkins listens, and each receiver only calls the service that recomputes.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from accounts.models import User
from checkins import services
from contacts.models import Supporter

SCHEDULE_FIELDS = {
    "timezone",
    "is_active",
    "reminders_enabled",
    "reminder_hour",
    "reminder_weekdays",
    "reminders_paused_until",
}
DUE_FIELDS = {"timezone", "inner_rhythm_days", "middle_rhythm_days", "outer_rhythm_days"}
SUPPORTER_DUE_FIELDS = {"rhythm", "rhythm_days", "circle", "is_archived"}


@receiver(post_save, sender=User, dispatch_uid="checkins_user_saved")
def user_saved(sender, instance, created, update_fields=None, **kwargs):
    changed = set(update_fields) if update_fields is not None else None
    if (changed is None or changed & DUE_FIELDS) and not created:
        services.supporters_due_recompute(user=instance)
    if changed is None or changed & SCHEDULE_FIELDS:
        services.user_schedule_recompute(user=instance, now=timezone.now())


@receiver(post_save, sender=Supporter, dispatch_uid="checkins_supporter_saved")
def supporter_saved(sender, instance, created, update_fields=None, **kwargs):
    if update_fields is None or set(update_fields) & SUPPORTER_DUE_FIELDS:
        services.supporter_due_recompute(supporter=instance)
