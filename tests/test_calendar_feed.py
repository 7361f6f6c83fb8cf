"""The private, revocable iCalendar feed of check-ins due."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from core.tokens import token_digest
from privacy import services
from privacy.models import CalendarFeed
from tests.factories import SupporterFactory

NOW = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)
PAGE = reverse("privacy:calendar")


def feed_path(token):
    return reverse("privacy:calendar_ics", args=[token])


def token_from_page(client):
    """Turn the feed on (or renew it) and read the address the page shows once."""
    response = client.post(PAGE, {"action": "renew"})
    assert response.status_code == 302
    page = client.get(PAGE).content.decode()
    marker = "/privacy/calendar/"
    start = page.index(marker) + len(marker)
    return page[start : page.index(".ics", start)]


def events(response):
    calendar = Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def test_it_lists_upcoming_check_ins_with_names_only(owner_client, client, user):
    SupporterFactory(
        owner=user,
        name="Aisha",
        notes="secret note",
        best_times="after 6",
        email="a@example.com",
        next_check_in_at=datetime.datetime(2026, 12, 3, 23, 30, tzinfo=datetime.UTC),
    )
    SupporterFactory(owner=user, name="No rhythm", next_check_in_at=None)
    SupporterFactory(owner=user, name="Archived", is_archived=True, next_check_in_at=NOW)
    token = token_from_page(owner_client)
    client.logout()
    response = client.get(feed_path(token))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(response)
    assert [str(event["summary"]) for event in found] == ["Check in with Aisha"]
    # The owner is in London, on UTC in winter: 23:30 UTC is still the 3rd there.
    assert found[0].decoded("dtstart") == datetime.date(2026, 12, 3)
    body = response.content.decode()
    for private in ["secret note", "after 6", "a@example.com"]:
        assert private not in body


def test_it_dates_events_in_the_persons_own_time_zone(user):
    user.timezone = "Pacific/Auckland"
    user.save()
    SupporterFactory(
        owner=user, name="Kiri", next_check_in_at=datetime.datetime(2026, 12, 3, 23, 30, tzinfo=datetime.UTC)
    )
    calendar = Calendar.from_ical(services.calendar_for(user=user, now=NOW, site_url="https://x.example"))
    assert calendar.walk("VEVENT")[0].decoded("dtstart") == datetime.date(2026, 12, 4)


def test_a_snoozed_supporter_shows_on_the_day_the_snooze_ends(user):
    SupporterFactory(
        owner=user,
        next_check_in_at=datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC),
        snoozed_until=datetime.datetime(2026, 12, 5, 9, tzinfo=datetime.UTC),
    )
    calendar = Calendar.from_ical(services.calendar_for(user=user, now=NOW, site_url="https://x.example"))
    assert calendar.walk("VEVENT")[0].decoded("dtstart") == datetime.date(2026, 12, 5)


def test_someone_already_due_shows_today(user):
    SupporterFactory(owner=user, next_check_in_at=NOW - datetime.timedelta(days=10))
    SupporterFactory(owner=user, next_check_in_at=NOW + datetime.timedelta(days=400))
    calendar = Calendar.from_ical(services.calendar_for(user=user, now=NOW, site_url="https://x.example"))
    assert [event.decoded("dtstart") for event in calendar.walk("VEVENT")] == [NOW.date()]


def test_the_token_is_stored_only_as_a_hash(owner_client, user):
    token = token_from_page(owner_client)
    feed = CalendarFeed.objects.get(owner=user)
    assert feed.token_hash == token_digest(token)
    assert token not in feed.token_hash
    assert len(token) >= 40


def test_the_address_is_shown_only_once(owner_client):
    token = token_from_page(owner_client)
    assert token not in owner_client.get(PAGE).content.decode()


def test_making_a_new_address_revokes_the_old_one(owner_client, client):
    old = token_from_page(owner_client)
    new = token_from_page(owner_client)
    assert old != new
    assert client.get(feed_path(old)).status_code == 404
    assert client.get(feed_path(new)).status_code == 200


def test_turning_the_feed_off_revokes_it(owner_client, client, user):
    token = token_from_page(owner_client)
    owner_client.post(PAGE, {"action": "revoke"})
    assert not CalendarFeed.objects.filter(owner=user).exists()
    assert client.get(feed_path(token)).status_code == 404


@pytest.mark.parametrize("token", ["nothing", "x" * 43, "%00"])
def test_an_unknown_token_is_a_404(client, db, token):
    assert client.get(feed_path(token)).status_code == 404


def test_a_deactivated_persons_feed_stops(client, user):
    token = services.calendar_feed_renew(user=user)
    user.is_active = False
    user.save()
    assert client.get(feed_path(token)).status_code == 404


def test_it_lists_only_the_feed_owners_supporters(owner_client, client, user, other_user):
    SupporterFactory(owner=other_user, name="Not yours", next_check_in_at=NOW)
    SupporterFactory(owner=user, name="Yours", next_check_in_at=NOW)
    token = token_from_page(owner_client)
    assert [str(event["summary"]) for event in events(client.get(feed_path(token)))] == [
        "Check in with Yours"
    ]


def test_anonymous_visitors_are_sent_to_sign_in_from_the_page(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_feed_takes_a_constant_number_of_queries(client, user, django_assert_num_queries):
    token = services.calendar_feed_renew(user=user)
    SupporterFactory(owner=user, next_check_in_at=NOW)
    with django_assert_num_queries(2):
        client.get(feed_path(token))
    SupporterFactory.create_batch(25, owner=user, next_check_in_at=NOW)
    with django_assert_num_queries(2):
        response = client.get(feed_path(token))
    assert len(events(response)) == 26
