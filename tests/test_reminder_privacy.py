"""What a reminder email shows: lock screens and mail previews are public, so by default the subject
names no one and the email names each person and no more; the rest is the person's choice."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from contacts.models import Channel
from tests.checkins_helpers import make_person, make_supporter

pytestmark = pytest.mark.django_db

PRIVATE = ["therapist", "Hearing Voices group", "Evenings after six", "Prefers", "Best times", "video call"]


@pytest.fixture
def person():
    """Someone due a reminder now, with two people due, described in detail."""
    person = make_person(reminder_hour=0, timezone="Pacific/Honolulu", email="ana@example.com")
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    make_supporter(
        person,
        added_at=ten_days_ago,
        name="Dr Amara Okafor",
        relationship="therapist",
        best_times="Evenings after six",
        preferred_channel=Channel.VIDEO,
    )
    make_supporter(person, added_at=ten_days_ago, name="Sam Rivers", relationship="Hearing Voices group")
    person.refresh_from_db()
    return person


def reminder(inbox):
    call_command("send_reminders")
    [message] = inbox.wait_for(1)
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return message["Subject"], text, html


def test_it_names_no_one_in_the_subject_and_only_names_in_the_email_by_default(person, inbox):
    subject, text, html = reminder(inbox)
    assert subject == "2 people might like to hear from you"
    for body in (text, html):
        assert "Dr Amara Okafor" in body and "Sam Rivers" in body
        for detail in PRIVATE:
            assert detail not in body, detail


def test_it_says_who_in_the_subject_for_one_person_by_default_neither(person, inbox):
    person.supporters.filter(name="Sam Rivers").delete()
    subject, _text, _html = reminder(inbox)
    assert subject == "Someone might like to hear from you"


def test_it_shows_names_relationships_and_best_times_to_someone_who_chose_them(person, inbox):
    person.reminder_email_details = True
    person.save(update_fields=["reminder_email_details"])
    subject, text, html = reminder(inbox)
    assert subject in {
        "Dr Amara Okafor and Sam Rivers might like to hear from you",
        "Sam Rivers and Dr Amara Okafor might like to hear from you",
    }
    for body in (text, html):
        for detail in ["therapist", "Hearing Voices group", "Evenings after six", "video call"]:
            assert detail in body, detail


def test_it_lets_the_person_choose_on_the_reminder_settings_page_and_explains_it(owner_client, user):
    page = owner_client.get(reverse("checkins:reminders")).content.decode()
    assert 'name="reminder_email_details"' in page
    assert "lock screens" in page
    assert "checked" not in page.split('name="reminder_email_details"')[1].split(">")[0], "off by default"
    response = owner_client.post(
        reverse("checkins:reminders"),
        {
            "reminders_enabled": "on",
            "reminder_hour": "9",
            "reminder_weekdays": ["0", "1"],
            "reminder_email_details": "on",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.reminder_email_details is True
