"""The one hook through which the check-ins app learns that a supporter's schedule may have moved.

`contacts` never imports `checkins`, yet a supporter's stored `next_check_in_at` depends on their
circle, rhythm and archived state, and on the owner's per-circle default rhythms, all of which are
changed here. So `contacts.services` sends `supporter_schedule_changed` inside its transaction
after such a change, and the check-ins app connects (in its AppConfig.ready) a receiver that calls
its own service to recompute the stored due moments:

    supporter_schedule_changed.connect(receiver)  # receiver(sender, owner, supporter_ids, **kwargs)

`owner` is the user; `supporter_ids` lists the ids of the supporters concerned (possibly empty).
The receiver runs in the same database transaction, so its writes commit or roll back with ours.
"""

from django.dispatch import Signal

supporter_schedule_changed = Signal()
