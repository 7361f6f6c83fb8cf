"""One-click actions, using the links in the email the real SMTP server received."""

import datetime
import re
from urllib.parse import urlparse

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from checkins.models import CheckIn
from checkins.services.actions import Action, action_token_make
from contacts.models import Channel, Supporter
from tests.checkins_helpers import make_person, make_supporter

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    person = make_person(reminder_hour=0, timezone="Pacific/Honolulu", email="ana@example.com")
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    make_supporter(person, added_at=ten_days_ago, name="Sam Rivers", preferred_channel=Channel.MESSAGE)
    person.refresh_from_db()
    return person


@pytest.fixture
def links(person, inbox):
    """The links of the email `send_reminders` delivered over SMTP, by what they say."""
    call_command("send_reminders")
    [message] = inbox.wait_for(1)
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(preferencelist=("html",)).get_content()
    found = {}
    for label, url in re.findall(r"^\s*(.+?): (https?://\S+)$", text, flags=re.MULTILINE):
        assert url.replace("&", "&amp;") in html or url in html
        found[label] = urlparse(url).path
    [unsubscribe] = re.findall(r"<(https?://[^>\s]+)>", str(message["List-Unsubscribe"]))
    found["List-Unsubscribe"] = urlparse(unsubscribe).path
    return found


def test_it_puts_every_link_in_the_email(links):
    assert set(links) == {
        "I reached out to Sam Rivers",
        "Snooze Sam Rivers for 3 days",
        "Pause all reminders for a week",
        "Change when reminders arrive",
        "Unsubscribe from reminder emails",
        "List-Unsubscribe",
    }


def test_it_logs_a_check_in_from_the_email_once_and_only_on_post(client, links, person):
    url = links["I reached out to Sam Rivers"]
    page = client.get(url)
    assert page.status_code == 200
    assert "You reached out to Sam Rivers?" in page.content.decode()
    assert not CheckIn.objects.exists()  # a mail scanner following the link changes nothing
    done = client.post(url)
    assert "Logged your check-in with Sam Rivers" in done.content.decode()
    check_in = CheckIn.objects.get()
    assert (check_in.owner, check_in.channel, check_in.initiated_by) == (person, Channel.MESSAGE, "me")
    assert Supporter.objects.get().next_check_in_at > timezone.now()
    again = client.post(url)
    assert "Already done" in again.content.decode()
    assert "Already done" in client.get(url).content.decode()
    assert CheckIn.objects.count() == 1


def test_it_snoozes_from_the_email_once(client, links):
    url = links["Snooze Sam Rivers for 3 days"]
    assert "Snooze Sam Rivers?" in client.get(url).content.decode()
    assert Supporter.objects.get().snoozed_until is None
    client.post(url)
    snoozed_until = Supporter.objects.get().snoozed_until
    assert snoozed_until - timezone.now() > datetime.timedelta(days=2)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        assert "Already done" in client.post(url).content.decode()
    assert Supporter.objects.get().snoozed_until == snoozed_until


def test_it_pauses_all_reminders_for_a_week_from_the_email(client, links, person):
    url = links["Pause all reminders for a week"]
    client.get(url)
    person.refresh_from_db()
    assert person.reminders_paused_until is None
    assert "Your reminders are paused" in client.post(url).content.decode()
    person.refresh_from_db()
    today_there = timezone.localtime(timezone.now(), person.zone).date()
    assert person.reminders_paused_until == today_there + datetime.timedelta(days=6)
    assert person.next_digest_at.astimezone(person.zone).date() == today_there + datetime.timedelta(days=7)


def test_it_unsubscribes_with_the_link_in_the_footer(client, links, person):
    client.post(links["Unsubscribe from reminder emails"])
    person.refresh_from_db()
    assert person.reminders_enabled is False
    assert person.next_digest_at is None


def test_it_unsubscribes_with_an_rfc_8058_one_click_post_without_cookies_or_csrf(links, person):
    from django.test import Client

    mail_provider = Client(enforce_csrf_checks=True)
    response = mail_provider.post(
        links["List-Unsubscribe"],
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.reminders_enabled is False


def test_it_refuses_a_forged_link_and_changes_nothing(client, links, person):
    url = links["Pause all reminders for a week"]
    token = url.rstrip("/").rsplit("/", 1)[1]
    forged = url.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    for response in (client.get(forged), client.post(forged)):
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    person.refresh_from_db()
    assert person.reminders_paused_until is None


def test_it_refuses_a_link_made_with_another_purpose_s_signature(client, person):
    from django.core import signing

    token = signing.dumps({"u": person.pk, "a": Action.UNSUBSCRIBE, "s": None, "d": None})  # no salt
    assert client.post(f"/check-ins/act/{token}/").status_code == 400
    person.refresh_from_db()
    assert person.reminders_enabled is True


def test_a_link_sent_when_tokens_still_named_the_digest_acts(client, person):
    """Tokens no longer carry the digest's id ("d", never read); links already sent keep working."""
    from django.core import signing

    from checkins.services.actions import ACTION_SALT

    token = signing.dumps({"u": person.pk, "a": Action.UNSUBSCRIBE, "s": None, "d": 1}, salt=ACTION_SALT)
    assert client.post(f"/check-ins/act/{token}/").status_code == 200
    person.refresh_from_db()
    assert person.reminders_enabled is False


def test_it_refuses_an_expired_link(client, links, person):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        response = client.post(links["Unsubscribe from reminder emails"])
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    person.refresh_from_db()
    assert person.reminders_enabled is True


def test_it_refuses_a_link_for_someone_else_while_signed_in_and_shows_nothing_of_theirs(
    client, links, person
):
    someone_else = make_person(email="ben@example.com")
    client.force_login(someone_else)
    url = links["I reached out to Sam Rivers"]
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 403
        assert "different account" in response.content.decode()
        assert "Sam Rivers" not in response.content.decode()
    assert not CheckIn.objects.exists()


def test_it_acts_for_the_person_signed_in_as_themselves(client, links, person):
    client.force_login(person)
    client.post(links["I reached out to Sam Rivers"])
    assert CheckIn.objects.get().owner == person


def test_it_refuses_a_link_for_a_supporter_who_was_deleted(client, links):
    Supporter.objects.all().delete()
    response = client.post(links["Snooze Sam Rivers for 3 days"])
    assert response.status_code == 400
    assert "no longer in your network" in response.content.decode()


def test_it_refuses_a_link_for_another_person_s_supporter(client, person):
    stranger = make_person()
    theirs = make_supporter(stranger, name="Their Friend")
    token = action_token_make(user=person, action=Action.REACHED_OUT, supporter=theirs)
    assert client.post(f"/check-ins/act/{token}/").status_code == 400
    assert not CheckIn.objects.exists()


def test_it_renders_the_one_click_pages_without_inline_code(client, links):
    from tests.test_security import inline_code

    url = links["Snooze Sam Rivers for 3 days"]
    for response in (client.get(url), client.post(url), client.get("/check-ins/act/forged/")):
        assert "Content-Security-Policy" in response.headers
        assert inline_code(response) == []


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options", "head", "trace"])
def test_it_answers_405_to_anything_but_get_and_post_and_changes_nothing(client, links, person, method):
    for label in ["I reached out to Sam Rivers", "Pause all reminders for a week", "List-Unsubscribe"]:
        response = getattr(client, method)(links[label])
        assert response.status_code == 405, (label, method)
        assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    person.refresh_from_db()
    assert (person.reminders_enabled, person.reminders_paused_until) == (True, None)
    assert not CheckIn.objects.exists()
