"""Shared set-up for the check-in and reminder tests."""

import contextlib
import datetime

import time_machine

from checkins.services.check_ins import supporter_due_recompute
from checkins.services.digests import DigestNotDelivered, digests_send
from contacts.models import Rhythm
from tests.factories import SupporterFactory, UserFactory

UTC = datetime.UTC


def at(*args):
    """A UTC moment: at(2026, 1, 15, 9)."""
    return datetime.datetime(*args, tzinfo=UTC)


def make_person(**fields):
    """A person who wants reminders every day at `reminder_hour` (default 9) in their time zone."""
    return UserFactory(**{"reminder_hour": 9, "reminder_weekdays": "0123456", **fields})


def make_supporter(owner, *, added_at=None, rhythm_days=7, **fields):
    """A supporter on a custom rhythm, added at `added_at` (default: now); the due moment is stored
    (as contacts' services would have it stored through `supporter_schedule_changed`)."""
    travel = time_machine.travel(added_at, tick=False) if added_at else contextlib.nullcontext()
    with travel:
        supporter = SupporterFactory(
            owner=owner, **{"rhythm": Rhythm.CUSTOM, "rhythm_days": rhythm_days, **fields}
        )
    supporter_due_recompute(supporter=supporter)
    supporter.refresh_from_db()
    return supporter


def digest_send(*, digest_id):
    """A batch of one: True if it went out, False if there was nothing to do; DigestNotDelivered if not taken."""
    outcome = digests_send(digest_ids=[digest_id])
    if digest_id in outcome.failed:
        raise DigestNotDelivered(outcome.failed[digest_id])
    return digest_id in outcome.sent
