"""One-click links from the reminder email, and undo for a few minutes after a quick action."""

import dataclasses
import datetime

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from checkins.due import local_date
from checkins.models import CheckIn, InitiatedBy, UsedActionToken
from checkins.services.check_ins import check_in_log, supporter_due_recompute, supporter_snooze
from checkins.services.schedule import reminders_pause, reminders_unsubscribe
from contacts.models import Channel, Supporter
from core.links import LinkRefused, absolute_url, signed_link_read
from core.tokens import token_digest

PAUSE_DAYS = 7
ACTION_SALT = "checkins.one-click-action"


# --- One-click actions from the email -----------------------------------------------------------


class Action:
    do_not_call_in_templates = True

    REACHED_OUT = "reached-out"
    SNOOZE = "snooze"
    PAUSE = "pause"
    UNSUBSCRIBE = "unsubscribe"
    ALL = (REACHED_OUT, SNOOZE, PAUSE, UNSUBSCRIBE)
    NEEDS_SUPPORTER = (REACHED_OUT, SNOOZE)


@dataclasses.dataclass
class OneClick:
    token: str
    user: User
    action: str
    supporter: Supporter | None


def action_token_make(*, user, action, supporter=None):
    payload = {"u": user.pk, "a": action, "s": supporter.pk if supporter else None}
    return signing.dumps(payload, salt=ACTION_SALT)


def action_url(*, user, action, supporter=None):
    token = action_token_make(user=user, action=action, supporter=supporter)
    return absolute_url(reverse("checkins:action", args=[token]))


def action_token_read(token):
    """The action a link allows, or LinkRefused. Expired after REMINDER_LINK_MAX_AGE_DAYS."""
    payload = signed_link_read(
        token,
        salt=ACTION_SALT,
        max_age=datetime.timedelta(days=settings.REMINDER_LINK_MAX_AGE_DAYS),
        expired_message=_("This link has expired. Links in reminder emails work for two weeks."),
    )
    action = payload.get("a")
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    if action not in Action.ALL or user is None:
        raise LinkRefused(_("This link is not valid."))
    supporter = None
    if action in Action.NEEDS_SUPPORTER:
        supporter = Supporter.objects.filter(pk=payload.get("s"), owner=user).select_related("owner").first()
        if supporter is None:
            raise LinkRefused(_("This person is no longer in your network, so there is nothing to do."))
    return OneClick(token=token, user=user, action=action, supporter=supporter)


def action_token_was_used(token):
    return UsedActionToken.objects.filter(digest=token_digest(token)).exists()


def action_perform(*, one_click, now):
    """Do what the link allows, once. False (and nothing changed) if the link was used before."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                UsedActionToken.objects.create(
                    digest=token_digest(one_click.token),
                    user=one_click.user,
                    action=one_click.action,
                    used_at=now,
                )
        except IntegrityError:
            return False
        user, supporter = one_click.user, one_click.supporter
        if one_click.action == Action.REACHED_OUT:
            check_in_log(
                owner=user,
                supporter=supporter,
                happened_at=now,
                channel=supporter.preferred_channel or Channel.OTHER,
                initiated_by=InitiatedBy.ME,
            )
        elif one_click.action == Action.SNOOZE:
            supporter_snooze(supporter=supporter, now=now)
        elif one_click.action == Action.PAUSE:
            reminders_pause(user=user, until_on=pause_until_on(user=user, now=now), now=now)
        elif one_click.action == Action.UNSUBSCRIBE:
            reminders_unsubscribe(user=user, now=now)
    return True


def pause_until_on(*, user, now):
    """Pausing "for a week" from the email: no digests today and for the next six days."""
    return local_date(now, user.zone) + datetime.timedelta(days=PAUSE_DAYS - 1)


# --- Undo for a few minutes after "I reached out today" and "Snooze" -----------------------------

UNDO_MINUTES = 5
UNDO_SALT = "checkins.undo"


class UndoRefused(Exception):
    """An undo that is forged, someone else's, too late or already done. The message is safe to show."""


def undo_token_make(*, owner, supporter, now, check_in=None, snoozed_until=None):
    """A signed note of exactly one action, for the POST form in the message that confirms it.

    A check-in is undone by deleting it; a snooze by putting back the snooze that was there before
    (`snoozed_until`, None for none). Both also restore the snooze the check-in had ended.
    """
    payload = {
        "u": owner.pk,
        "s": supporter.pk,
        "c": check_in.pk if check_in else None,
        "p": snoozed_until.isoformat() if snoozed_until else None,
        "t": now.timestamp(),
    }
    return signing.dumps(payload, salt=UNDO_SALT)


@transaction.atomic
def action_undo(*, owner, token, now):
    """Reverse the one action `token` describes, for its owner only, once, within UNDO_MINUTES.

    Returns the supporter the action was about.
    """
    try:
        payload = signing.loads(token, salt=UNDO_SALT)
    except signing.BadSignature as error:
        raise UndoRefused(_("That undo button is not valid, so nothing was changed.")) from error
    if payload.get("u") != owner.pk:
        raise UndoRefused(_("That undo button belongs to a different account, so nothing was changed."))
    issued_at = datetime.datetime.fromtimestamp(payload["t"], tz=datetime.UTC)
    if now - issued_at > datetime.timedelta(minutes=UNDO_MINUTES):
        raise UndoRefused(
            _("Undo works for %(minutes)d minutes, so nothing was changed.") % {"minutes": UNDO_MINUTES}
        )
    supporter = Supporter.objects.filter(pk=payload.get("s"), owner=owner).select_related("owner").first()
    if supporter is None:
        raise UndoRefused(_("This person is no longer in your network, so there is nothing to undo."))
    try:
        with transaction.atomic():
            UsedActionToken.objects.create(digest=token_digest(token), user=owner, action="undo", used_at=now)
    except IntegrityError as error:
        raise UndoRefused(_("That is already undone.")) from error
    if payload.get("c") is not None:
        CheckIn.objects.filter(pk=payload["c"], owner=owner, supporter=supporter).delete()
    previous = payload.get("p")
    supporter.snoozed_until = datetime.datetime.fromisoformat(previous) if previous else None
    supporter_due_recompute(supporter=supporter)
    return supporter
