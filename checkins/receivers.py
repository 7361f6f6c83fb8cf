"""Keep the stored due moments right when the rows they derive from change in other apps.

`contacts` and `accounts` sit below `checkins` and must not import it, yet a supporter's rhythm,
the owner's circle defaults, time zone and reminder preferences decide what the sweep reads. So
checkins listens, and each receiver only calls the service that recomputes:

- `contacts.signals.supporter_schedule_changed`, sent by contacts' services inside their
  transaction when a supporter is added, archived, or changes circle or rhythm, or the owner's
  circle defaults change;
- `post_save` of the user, for what `accounts` and `moderation` change: the time zone (sign-up, the
  account page) and whether the account is active. Reminder preferences are saved by checkins'
  own services, which reschedule themselves. A save limited to other fields (a sign-in's
  `last_login`) is ignored; a full save (the admin's change form) may have changed anything.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from accounts.models import User
from checkins.services.check_ins import supporters_due_recompute
from checkins.services.schedule import user_schedule_recompute
from contacts.signals import supporter_schedule_changed

SCHEDULE_FIELDS = {"timezone", "is_active"}


@receiver(supporter_schedule_changed, dispatch_uid="checkins_supporter_schedule_changed")
def supporter_schedule_changed_received(sender, owner, supporter_ids, **kwargs):
    supporters_due_recompute(user=owner, supporter_ids=supporter_ids)


@receiver(post_save, sender=User, dispatch_uid="checkins_user_saved")
def user_saved(sender, instance, created, update_fields=None, **kwargs):
    changed = set(update_fields) if update_fields is not None else None
    if (changed is None or "timezone" in changed) and not created:
        supporters_due_recompute(user=instance)
    if changed is None or changed & SCHEDULE_FIELDS:
        user_schedule_recompute(user=instance, now=timezone.now())
