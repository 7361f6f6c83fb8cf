"""Digests go out in batches: one claim, one read of who is due, one SMTP connection per batch,
and a batch's trouble with one message or with the connection loses nothing and doubles nothing."""

import socket
import threading
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from checkins.models import Digest, DigestStatus
from checkins.services.digests import digests_send
from checkins.services.sweep import reminders_send_due
from tests.checkins_helpers import at, make_person, make_supporter

pytestmark = pytest.mark.django_db

NOW = at(2026, 1, 15, 9)


def claimed_digests(count, supporters_each=1):
    """`count` people due today, each with a queued digest, in the order they were claimed."""
    with time_machine.travel(at(2026, 1, 1), tick=False):
        for _ in range(count):
            person = make_person(timezone="UTC")
            for number in range(supporters_each):
                make_supporter(person, name=f"Friend {number}")
    with time_machine.travel(NOW, tick=False):
        return sorted(reminders_send_due(hand_over=lambda batch: None))


def send(digest_ids):
    with time_machine.travel(NOW, tick=False):
        return digests_send(digest_ids=digest_ids)


def test_it_sends_a_whole_batch_over_one_smtp_connection(inbox):
    digest_ids = claimed_digests(4)
    outcome = send(digest_ids)
    assert sorted(outcome.sent) == digest_ids and outcome.failed == {}
    assert len(inbox.messages) == 4
    assert inbox.sessions == 1
    assert set(Digest.objects.values_list("status", flat=True)) == {DigestStatus.SENT}


def test_a_batch_costs_two_queries_a_digest_whatever_the_number_of_people_due(inbox):
    """The claim, the read of the digests and of everyone due, and the schedules are one query
    each for the batch; each digest adds only its last claim check and its "emailed" mark."""
    queries = {}
    for count, supporters_each in ((2, 1), (5, 6)):
        digest_ids = claimed_digests(count, supporters_each)
        with CaptureQueriesContext(connection) as captured:
            assert len(send(digest_ids).sent) == count
        queries[count] = len(captured)
    assert queries[5] - queries[2] == 2 * (5 - 2)


def test_one_refused_message_is_retried_alone_and_the_rest_of_the_batch_goes_out(inbox):
    digest_ids = claimed_digests(3)
    busy = Digest.objects.select_related("user").get(pk=digest_ids[1]).user.email
    inbox.refuse_to.add(busy)
    outcome = send(digest_ids)
    assert sorted(outcome.sent) == [digest_ids[0], digest_ids[2]]
    assert list(outcome.failed) == [digest_ids[1]] and "451" in outcome.failed[digest_ids[1]]
    assert busy not in [message["To"] for message in inbox.messages] and len(inbox.messages) == 2
    refused = Digest.objects.get(pk=digest_ids[1])
    assert (refused.status, refused.claim_token) == (DigestStatus.QUEUED, None)  # ready for the retry
    inbox.refuse_to.clear()
    assert send(list(outcome.failed)).sent == [digest_ids[1]]
    assert sorted(message["To"] for message in inbox.messages).count(busy) == 1


@pytest.fixture
def dropping_server(settings):
    """A mail server that accepts the TCP connection and closes it at once; counts connections."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []

    def serve():
        while True:
            try:
                peer, _ = listener.accept()
            except OSError:
                return
            accepted.append(peer)
            peer.close()

    threading.Thread(target=serve, daemon=True).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = listener.getsockname()
    settings.EMAIL_USE_TLS = False
    yield accepted
    listener.close()


def test_a_lost_connection_hands_the_rest_of_the_batch_back_at_once_without_trying_each(dropping_server):
    digest_ids = claimed_digests(3)
    outcome = send(digest_ids)
    assert outcome.sent == [] and sorted(outcome.failed) == digest_ids
    assert all("SMTPServerDisconnected" in reason for reason in outcome.failed.values())
    assert len(dropping_server) == 1  # one try, not one wait per digest
    assert set(Digest.objects.values_list("status", "claim_token", "emailed_at")) == {
        (DigestStatus.QUEUED, None, None)
    }


def test_a_batch_that_runs_out_of_time_hands_back_what_it_did_not_reach(inbox, settings):
    settings.REMINDER_BATCH_SECONDS = -1  # already past its time after the claim
    digest_ids = claimed_digests(2)
    outcome = send(digest_ids)
    assert outcome.sent == [] and sorted(outcome.failed) == digest_ids
    assert inbox.messages == []
    assert set(Digest.objects.values_list("status", flat=True)) == {DigestStatus.QUEUED}


def test_a_second_delivery_of_the_same_batch_sends_nothing(inbox):
    digest_ids = claimed_digests(3)
    assert len(send(digest_ids).sent) == 3
    again = send(digest_ids)
    assert again.sent == [] and again.failed == {}
    assert len(inbox.messages) == 3


def test_the_sweep_hands_over_batches_of_the_configured_size(settings, django_capture_on_commit_callbacks):
    settings.REMINDER_BATCH_SIZE = 3
    handed = []
    with time_machine.travel(at(2026, 1, 1), tick=False):
        for _ in range(7):
            make_supporter(make_person(timezone="UTC"))
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        claimed = reminders_send_due(hand_over=handed.append)
    assert [len(batch) for batch in handed] == [3, 3, 1]
    assert sorted(digest_id for batch in handed for digest_id in batch) == sorted(claimed)


def test_a_sender_that_dies_at_quit_leaves_its_whole_batch_sent(inbox):
    digest_ids = claimed_digests(2)
    with (
        mock.patch("smtplib.SMTP.quit", side_effect=RuntimeError("killed at QUIT")),
        pytest.raises(RuntimeError),
    ):
        send(digest_ids)
    assert set(Digest.objects.values_list("status", flat=True)) == {DigestStatus.SENT}
    assert len(inbox.messages) == 2
