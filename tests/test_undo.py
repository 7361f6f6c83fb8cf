"""Undo for "I reached out today" and "Snooze": owner only, once, within a few minutes."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from checkins.models import CheckIn
from checkins.services.actions import UNDO_MINUTES, UndoRefused, action_undo, undo_token_make
from checkins.services.check_ins import check_in_log, supporter_due_recompute, supporter_snooze
from contacts.models import Channel
from tests.factories import SupporterFactory


def reach_out(supporter, now):
    snoozed_until = supporter.snoozed_until
    check_in = check_in_log(
        owner=supporter.owner, supporter=supporter, happened_at=now, channel=Channel.CALL, initiated_by="me"
    )
    return undo_token_make(
        owner=supporter.owner, supporter=supporter, check_in=check_in, snoozed_until=snoozed_until, now=now
    )


def snooze(supporter, now):
    token = undo_token_make(
        owner=supporter.owner, supporter=supporter, snoozed_until=supporter.snoozed_until, now=now
    )
    supporter_snooze(supporter=supporter, now=now)
    return token


@pytest.fixture
def now():
    return timezone.now()


def test_it_deletes_exactly_the_check_in_it_confirmed(user, now):
    sam = SupporterFactory(owner=user)
    earlier = check_in_log(
        owner=user,
        supporter=sam,
        happened_at=now - datetime.timedelta(days=3),
        channel=Channel.CALL,
        initiated_by="me",
    )
    token = reach_out(sam, now)
    action_undo(owner=user, token=token, now=now + datetime.timedelta(minutes=1))
    assert list(CheckIn.objects.filter(supporter=sam)) == [earlier]
    sam.refresh_from_db()
    assert sam.last_check_in_at == earlier.happened_at


def test_it_puts_back_the_snooze_a_check_in_ended(user, now):
    sam = SupporterFactory(owner=user)
    supporter_snooze(supporter=sam, now=now)
    snoozed_until = sam.snoozed_until
    token = reach_out(sam, now)
    sam.refresh_from_db()
    assert sam.snoozed_until is None
    action_undo(owner=user, token=token, now=now)
    sam.refresh_from_db()
    assert sam.snoozed_until == snoozed_until


def test_it_lifts_the_snooze_it_confirmed(user, now):
    sam = SupporterFactory(owner=user)
    supporter_due_recompute(supporter=sam)
    due_before = sam.next_check_in_at
    assert due_before is not None
    token = snooze(sam, now)
    sam.refresh_from_db()
    assert sam.snoozed_until is not None
    action_undo(owner=user, token=token, now=now)
    sam.refresh_from_db()
    assert sam.snoozed_until is None
    assert sam.next_check_in_at == due_before


def test_it_works_once(user, now):
    sam = SupporterFactory(owner=user)
    token = snooze(sam, now)
    action_undo(owner=user, token=token, now=now)
    supporter_snooze(supporter=sam, now=now)  # snoozed again, by a new action
    with pytest.raises(UndoRefused, match="already undone"):
        action_undo(owner=user, token=token, now=now)
    sam.refresh_from_db()
    assert sam.snoozed_until is not None, "the second snooze stands"


def test_it_expires_after_a_few_minutes(user, now):
    sam = SupporterFactory(owner=user)
    token = reach_out(sam, now)
    late = now + datetime.timedelta(minutes=UNDO_MINUTES, seconds=1)
    with pytest.raises(UndoRefused, match="works for 5 minutes"):
        action_undo(owner=user, token=token, now=late)
    assert sam.check_ins.count() == 1
    action_undo(owner=user, token=token, now=now + datetime.timedelta(minutes=UNDO_MINUTES))
    assert sam.check_ins.count() == 0


def test_it_refuses_another_persons_undo(user, other_user, now):
    sam = SupporterFactory(owner=user)
    token = reach_out(sam, now)
    with pytest.raises(UndoRefused, match="different account"):
        action_undo(owner=other_user, token=token, now=now)
    assert sam.check_ins.count() == 1


def test_it_refuses_a_forged_token(user, now):
    sam = SupporterFactory(owner=user)
    token = reach_out(sam, now)
    with pytest.raises(UndoRefused, match="not valid"):
        action_undo(owner=user, token=token[:-2] + "xx", now=now)
    assert sam.check_ins.count() == 1


def test_the_undo_view_answers_the_owner_kindly_and_the_outsider_with_nothing_changed(
    owner_client, other_user, user
):
    sam = SupporterFactory(owner=user, name="Sam Rivera")
    token = reach_out(sam, timezone.now())
    outsider = Client()
    outsider.force_login(other_user)
    response = outsider.post(reverse("checkins:undo"), {"token": token}, follow=True)
    assert "belongs to a different account" in response.content.decode()
    assert sam.check_ins.count() == 1

    response = owner_client.post(reverse("checkins:undo"), {"token": token, "next": "/supporters/"})
    assert response.status_code == 302 and response.url == "/supporters/"
    assert sam.check_ins.count() == 0
    page = owner_client.post(reverse("checkins:undo"), {"token": token}, follow=True).content.decode()
    assert "That is already undone." in page


def test_the_undo_view_is_post_only_and_for_signed_in_people(owner_client):
    assert owner_client.get(reverse("checkins:undo")).status_code == 405
    response = Client().post(reverse("checkins:undo"), {"token": "x"})
    assert response.status_code == 302 and "login" in response.url


def test_the_quick_actions_put_an_undo_form_in_their_message(owner_client, user):
    sam = SupporterFactory(owner=user, name="Sam Rivera")
    page = owner_client.post(reverse("dashboard:snooze", args=[sam.id]), follow=True).content.decode()
    assert f'action="{reverse("checkins:undo")}"' in page
    assert page.index('id="messages"') < page.index('class="site-header"'), "the message comes first"
