"""What a reminder notification says. Lock screens are public: by default it names no one.

The payload is JSON for our service worker (static/js/sw-push.js reads it): title, body, the
page a tap opens, and actions that POST the same signed one-click links as the reminder email.
"""

import json

from django.urls import reverse
from django.utils.translation import gettext, ngettext

from checkins.hooks import digest_nudges
from checkins.services.actions import Action, action_url
from checkins.services.check_ins import SNOOZE_DAYS
from core.links import absolute_url

TAG = "supportnet-reminder"


def names_sentence(names):
    if len(names) == 1:
        return names[0]
    if len(names) <= 3:
        return gettext("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}
    others = len(names) - 2
    return ngettext("%(names)s and %(count)d other", "%(names)s and %(count)d others", others) % {
        "names": ", ".join(names[:2]),
        "count": others,
    }


def digest_notification(*, user, supporters, now) -> dict:
    """The notification for today's reminder. `supporters` come most overdue first."""
    if user.reminder_push_names:
        names = names_sentence([supporter.name for supporter in supporters])
        body = gettext("%(names)s might like to hear from you.") % {"names": names}
    elif len(supporters) == 1:
        body = gettext("Someone might like to hear from you.")
    else:
        body = gettext("A few people might like to hear from you.")
    for nudge in digest_nudges(user=user, now=now):
        body += f" {nudge.text}"
    notification = {
        "title": "SupportNet",
        "body": body,
        "tag": TAG,
        "url": absolute_url(reverse("dashboard:home")),
        "actions": [],
    }
    # An action must say whom it acts on, so only a person who chose names gets them.
    if user.reminder_push_names and supporters:
        first = supporters[0]
        notification["actions"] = [
            {
                "action": Action.REACHED_OUT,
                "title": (gettext("I reached out to %(name)s") % {"name": first.name})[:60],
                "url": action_url(user=user, action=Action.REACHED_OUT, supporter=first),
            },
            {
                "action": Action.SNOOZE,
                "title": (
                    ngettext("Snooze %(name)s %(days)d day", "Snooze %(name)s %(days)d days", SNOOZE_DAYS)
                    % {"name": first.name, "days": SNOOZE_DAYS}
                )[:60],
                "url": action_url(user=user, action=Action.SNOOZE, supporter=first),
            },
        ]
    return notification


def as_payload(notification: dict) -> str:
    return json.dumps(notification, ensure_ascii=False, separators=(",", ":"))
