"""Check-in pages: log, list with filters, edit, delete, reminder preferences."""

import datetime
import re

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from checkins.due import supporter_due_summary
from checkins.forms import PICKER_SIZE, CheckInForm
from checkins.models import CheckIn
from checkins.services.check_ins import check_in_log
from contacts.models import Channel, Supporter
from tests.checkins_helpers import at, make_supporter
from tests.factories import CheckInFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def supporter(user):
    return make_supporter(user, name="Sam Rivers", added_at=timezone.now() - datetime.timedelta(days=10))


@pytest.fixture
def check_in(supporter):
    return check_in_log(
        owner=supporter.owner,
        supporter=supporter,
        happened_at=timezone.now() - datetime.timedelta(days=2),
        channel=Channel.CALL,
        initiated_by="them",
        mood=4,
        note="We talked about the garden.",
    )


def valid_data(supporter, **overrides):
    local_now = timezone.localtime(timezone.now(), supporter.owner.zone)
    return {
        "supporter": supporter.pk,
        "happened_at": (local_now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "channel": Channel.VIDEO,
        "initiated_by": "me",
        "mood": "5",
        "note": "Lovely to catch up.",
        **overrides,
    }


# --- Anonymous visitors and outsiders -------------------------------------------------------------


@pytest.mark.parametrize("name", ["checkins:list", "checkins:log", "checkins:reminders"])
def test_it_sends_anonymous_visitors_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["checkins:edit", "checkins:delete"])
def test_it_sends_anonymous_visitors_to_sign_in_from_one_check_in(client, check_in, name):
    for method in (client.get, client.post):
        response = method(reverse(name, args=[check_in.pk]))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    assert CheckIn.objects.filter(pk=check_in.pk).exists()


@pytest.mark.parametrize("name", ["checkins:edit", "checkins:delete"])
def test_it_hides_another_person_s_check_in(outsider_client, check_in, supporter, name):
    assert outsider_client.get(reverse(name, args=[check_in.pk])).status_code == 404
    data = valid_data(supporter)
    assert outsider_client.post(reverse(name, args=[check_in.pk]), data).status_code == 404
    check_in.refresh_from_db()
    assert check_in.note == "We talked about the garden."


def test_it_never_lists_another_person_s_check_ins(outsider_client, check_in):
    response = outsider_client.get(reverse("checkins:list"))
    assert response.status_code == 200
    assert "Sam Rivers" not in response.content.decode()
    assert "Nothing logged yet" in response.content.decode()


# --- Logging -------------------------------------------------------------------------------------


def test_it_offers_only_the_owner_s_current_supporters(owner_client, user, supporter, other_user):
    make_supporter(other_user, name="Someone Else's Friend")
    make_supporter(user, name="Archived Person", is_archived=True)
    page = owner_client.get(reverse("checkins:log")).content.decode()
    assert "Sam Rivers" in page
    assert "Someone Else" not in page
    assert "Archived Person" not in page


def test_it_logs_a_check_in_and_moves_the_supporter_on(owner_client, user, supporter):
    assert Supporter.objects.get(pk=supporter.pk).next_check_in_at <= timezone.now()
    response = owner_client.post(reverse("checkins:log"), valid_data(supporter))
    assert response.status_code == 302
    check_in = CheckIn.objects.get()
    assert (check_in.owner, check_in.supporter, check_in.channel, check_in.mood) == (
        user,
        supporter,
        "video",
        5,
    )
    supporter.refresh_from_db()
    assert supporter.last_check_in_at == check_in.happened_at
    assert supporter.next_check_in_at > timezone.now()


def test_it_reads_the_time_in_the_person_s_own_time_zone(owner_client, user, supporter):
    user.timezone = "Pacific/Honolulu"
    user.save()
    with time_machine.travel(at(2026, 1, 20, 12), tick=False):
        owner_client.post(reverse("checkins:log"), valid_data(supporter, happened_at="2026-01-15T09:00"))
    assert CheckIn.objects.get().happened_at == at(2026, 1, 15, 19, 0)


def test_it_preselects_a_supporter_and_returns_to_a_safe_next_page(owner_client, supporter):
    page = owner_client.get(reverse("checkins:log"), {"supporter": supporter.pk}).content.decode()
    assert re.search(rf'<input type="radio" name="supporter" value="{supporter.pk}"[^>]* checked>', page)
    response = owner_client.post(reverse("checkins:log"), {**valid_data(supporter), "next": "/supporters/1/"})
    assert response.url == "/supporters/1/"
    response = owner_client.post(
        reverse("checkins:log"), {**valid_data(supporter), "next": "https://evil.example/"}
    )
    assert response.url == reverse("checkins:list")


def offered(page):
    """The names the check-in form offers, in order."""
    return re.findall(r'<input type="radio" name="supporter" value="\d+"[^>]*>\s*([^<(]+?)\s*[(<]', page)


def network_of(user, count):
    """`count` supporters, Person 000 waiting longest; returns them in that order."""
    return [
        make_supporter(
            user, name=f"Person {index:03d}", added_at=timezone.now() - datetime.timedelta(days=400 - index)
        )
        for index in range(count)
    ]


@pytest.mark.parametrize("count", [20, 300])
def test_it_offers_who_is_due_first_not_the_whole_network(
    owner_client, user, count, django_assert_num_queries
):
    people = network_of(user, count)
    # Session, user, "anyone to offer?", the few offered; with one chosen, also that person.
    with django_assert_num_queries(4):
        page = owner_client.get(reverse("checkins:log")).content.decode()
    assert offered(page) == [person.name for person in people[:PICKER_SIZE]]
    chosen = people[-1]
    with django_assert_num_queries(5):
        page = owner_client.get(reverse("checkins:log"), {"supporter": chosen.pk}).content.decode()
    assert offered(page) == [chosen.name] + [person.name for person in people[: PICKER_SIZE - 1]]
    assert "<option" not in page.split('name="supporter"')[0][-2000:]


def test_it_finds_anyone_by_name_but_never_another_person_s_supporter(owner_client, user, other_user):
    network_of(user, 30)
    make_supporter(user, name="Zadie Smith", relationship="neighbour")
    make_supporter(other_user, name="Zadie Other")
    page = owner_client.get(reverse("checkins:log"), {"find": "zadie"}).content.decode()
    assert offered(page) == ["Zadie Smith"]
    assert "Zadie Other" not in page
    assert "People matching “zadie” are in the list below." in page
    page = owner_client.get(reverse("checkins:log"), {"find": "nobody-like-this"}).content.decode()
    assert "Nobody in your network matches “nobody-like-this”." in page
    assert offered(page) == []


def test_it_logs_a_check_in_with_someone_not_offered(owner_client, user):
    people = network_of(user, 30)
    last = people[-1]
    response = owner_client.post(reverse("checkins:log"), valid_data(last))
    assert response.status_code == 302
    assert CheckIn.objects.get().supporter == last


def test_a_refused_form_keeps_the_chosen_person_offered(owner_client, user):
    people = network_of(user, 30)
    last = people[-1]
    page = owner_client.post(
        reverse("checkins:log"), valid_data(last, channel="carrier-pigeon")
    ).content.decode()
    assert offered(page)[0] == last.name
    assert re.search(rf'value="{last.pk}"[^>]* checked>', page)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("channel", "carrier-pigeon", "Please choose how you connected."),
        ("initiated_by", "nobody", "Please choose who reached out."),
        ("mood", "9", "Please choose how it felt from the list."),
        ("happened_at", "", "This field is required."),
    ],
)
def test_it_refuses_bad_input_clearly(owner_client, supporter, field, value, message):
    response = owner_client.post(reverse("checkins:log"), valid_data(supporter, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CheckIn.objects.exists()


def test_it_refuses_a_check_in_in_the_future(owner_client, user, supporter):
    tomorrow = timezone.localtime(timezone.now(), user.zone) + datetime.timedelta(days=1)
    data = valid_data(supporter, happened_at=tomorrow.strftime("%Y-%m-%dT%H:%M"))
    response = owner_client.post(reverse("checkins:log"), data)
    assert "That time is still to come" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_it_refuses_a_check_in_with_another_person_s_supporter(owner_client, supporter, other_user):
    theirs = make_supporter(other_user)
    response = owner_client.post(reverse("checkins:log"), valid_data(theirs))
    assert "Please choose someone from your own network." in response.content.decode()
    assert not CheckIn.objects.exists()
    theirs.refresh_from_db()
    assert theirs.last_check_in_at is None


def test_it_renders_a_log_form_snippet_that_posts_for_one_supporter(owner_client, user, supporter):
    request = RequestFactory().get("/supporters/7/")
    request.user = user
    check_in_form = CheckInForm.for_supporter(supporter, now=timezone.now())
    html = Template('{% include "checkins/snippets/log_form.html" %}').render(
        Context(
            {"supporter": supporter, "check_in_form": check_in_form, "request": request, "csrf_token": "x"}
        )
    )
    assert f'action="{reverse("checkins:log")}"' in html
    assert f'name="supporter" value="{supporter.pk}"' in html
    assert 'name="next" value="/supporters/7/"' in html
    assert 'type="datetime-local"' in html


def test_it_renders_a_supporter_s_recent_check_ins_with_the_log_form(user, supporter, check_in):
    request = RequestFactory().get(f"/supporters/{supporter.pk}/")
    request.user = user
    context = {
        "supporter": supporter,
        "check_in_form": CheckInForm.for_supporter(supporter, now=timezone.now()),
        "recent_check_ins": [check_in],
        "request": request,
        "csrf_token": "x",
    }
    html = Template('{% include "checkins/snippets/supporter_check_ins.html" %}').render(Context(context))
    assert "Log a check-in with Sam Rivers" in html
    assert "Phone call" in html and "felt good" in html
    assert f"?supporter={supporter.pk}" in html


def test_it_says_gently_how_things_stand_in_the_due_badge(user):
    added = timezone.now() - datetime.timedelta(days=30)
    overdue = make_supporter(user, added_at=added, rhythm_days=7)
    due = supporter_due_summary(overdue, now=timezone.now())
    html = Template('{% include "checkins/snippets/due_badge.html" %}').render(Context({"due": due}))
    assert "It's been a while" in html
    assert "No check-ins yet." in html


# --- The list ------------------------------------------------------------------------------------


def test_it_lists_check_ins_newest_first(owner_client, check_in, supporter):
    CheckInFactory(
        supporter=supporter, happened_at=timezone.now() - datetime.timedelta(days=1), channel="email"
    )
    page = owner_client.get(reverse("checkins:list")).content.decode()
    assert page.index("· Email") < page.index("· Phone call")
    assert "felt good" in page and "they reached out" in page
    assert "We talked about the garden." in page


def test_it_filters_check_ins(owner_client, user, supporter, check_in):
    other = make_supporter(user, name="Jo Marsh")
    CheckInFactory(supporter=other, channel="email", happened_at=at(2026, 1, 5, 12))
    url = reverse("checkins:list")

    def names(**filters):
        page = owner_client.get(url, filters).content.decode()
        return {name for name in ("Sam Rivers", "Jo Marsh") if f'class="check-in-title">{name}' in page}

    assert names() == {"Sam Rivers", "Jo Marsh"}
    assert names(supporter=other.pk) == {"Jo Marsh"}
    assert names(channel="call") == {"Sam Rivers"}
    assert names(initiated_by="them") == {"Sam Rivers"}
    assert names(since="2026-01-01", until="2026-01-05") == {"Jo Marsh"}
    assert names(until="2026-01-04") == set()
    assert names(who="jo m") == {"Jo Marsh"}
    assert names(who="nobody at all") == set()


def test_it_finds_whose_check_ins_by_name_not_from_a_list_of_everyone(owner_client, user, supporter):
    others = [make_supporter(user, name=f"Person {index:02d}") for index in range(12)]
    url = reverse("checkins:list")
    html = owner_client.get(url).content.decode()
    assert 'name="who"' in html
    assert "Person 03" not in html and "Sam Rivers" not in html  # nobody listed in the filter
    # Chosen from a supporter's page: that person beside "Everyone", nobody else.
    html = owner_client.get(url, {"supporter": others[3].pk}).content.decode()
    options = re.findall(r'<option value="(\d*)"', html[html.index('name="supporter"') :])
    assert options[:2] == ["", str(others[3].pk)]
    assert "Person 04" not in html


def test_it_does_not_name_another_person_s_supporter_in_the_filter(owner_client, other_user):
    theirs = make_supporter(other_user, name="Not Yours")
    html = owner_client.get(reverse("checkins:list"), {"supporter": theirs.pk}).content.decode()
    assert "Not Yours" not in html


@pytest.mark.parametrize("count", [3, 30])
def test_it_lists_check_ins_with_the_same_queries_at_any_size(
    owner_client, user, supporter, count, django_assert_num_queries
):
    CheckInFactory.create_batch(count, supporter=supporter)
    # session, user, count, page of check-ins with their supporters (the filter lists nobody)
    with django_assert_num_queries(4):
        response = owner_client.get(reverse("checkins:list"))
    assert response.content.decode().count('class="card check-in"') == count
    # One person chosen: also that person for the filter, and its check of the choice.
    with django_assert_num_queries(6):
        response = owner_client.get(reverse("checkins:list"), {"supporter": supporter.pk})
    assert response.content.decode().count('class="card check-in"') == count


def test_it_pages_long_lists(owner_client, supporter):
    CheckInFactory.create_batch(55, supporter=supporter)
    page = owner_client.get(reverse("checkins:list"), {"channel": "call"}).content.decode()
    assert "Page 1 of 2" in page
    assert "?channel=call&amp;page=2" in page


# --- Editing and deleting ------------------------------------------------------------------------


def test_it_edits_a_check_in(owner_client, check_in, supporter):
    response = owner_client.post(
        reverse("checkins:edit", args=[check_in.pk]), valid_data(supporter, note="Changed.")
    )
    assert response.status_code == 302
    check_in.refresh_from_db()
    assert check_in.note == "Changed."
    supporter.refresh_from_db()
    assert supporter.last_check_in_at == check_in.happened_at


def test_it_refuses_to_move_a_check_in_into_the_future(owner_client, check_in, supporter):
    later = timezone.localtime(timezone.now(), supporter.owner.zone) + datetime.timedelta(hours=2)
    owner_client.post(
        reverse("checkins:edit", args=[check_in.pk]),
        valid_data(supporter, happened_at=later.strftime("%Y-%m-%dT%H:%M")),
    )
    assert CheckIn.objects.get().happened_at < timezone.now()


def test_it_asks_before_deleting_and_deletes_on_post(owner_client, check_in, supporter):
    page = owner_client.get(reverse("checkins:delete", args=[check_in.pk]))
    assert "Delete this check-in?" in page.content.decode()
    assert CheckIn.objects.exists()
    response = owner_client.post(reverse("checkins:delete", args=[check_in.pk]))
    assert response.status_code == 302
    assert not CheckIn.objects.exists()
    supporter.refresh_from_db()
    assert supporter.last_check_in_at is None


# --- Reminder preferences ------------------------------------------------------------------------


def test_it_shows_reminder_preferences_on_the_account_page(owner_client):
    page = owner_client.get(reverse("accounts:settings")).content.decode()
    assert "Reminder emails" in page
    assert f'action="{reverse("checkins:reminders")}"' in page
    assert "<legend>On these days</legend>" in page


def test_it_moves_the_next_digest_when_reminder_preferences_are_saved(owner_client, user):
    with time_machine.travel(at(2026, 1, 14, 12), tick=False):  # a Wednesday; the owner is in London
        response = owner_client.post(
            reverse("checkins:reminders"),
            {"reminders_enabled": "on", "reminder_hour": "18", "reminder_weekdays": ["4", "5"]},
        )
    assert response.status_code == 302
    assert response.url == reverse("accounts:settings")
    user.refresh_from_db()
    assert (user.reminder_hour, user.reminder_weekdays) == (18, "45")
    assert user.next_digest_at == at(2026, 1, 16, 18)  # Friday 18:00


def test_it_moves_the_next_digest_past_a_pause(owner_client, user):
    with time_machine.travel(at(2026, 1, 14, 12), tick=False):
        owner_client.post(
            reverse("checkins:reminders"),
            {
                "reminders_enabled": "on",
                "reminder_hour": "9",
                "reminder_weekdays": list("0123456"),
                "reminders_paused_until": "2026-01-20",
            },
        )
    user.refresh_from_db()
    assert user.next_digest_at == at(2026, 1, 21, 9)


def test_it_asks_for_a_weekday_when_reminders_are_on(owner_client, user):
    response = owner_client.post(
        reverse("checkins:reminders"), {"reminders_enabled": "on", "reminder_hour": "9"}
    )
    assert response.status_code == 200
    assert "Choose at least one day" in response.content.decode()
    user.refresh_from_db()
    assert user.reminder_weekdays == "0123456"


def test_it_clears_the_next_digest_when_reminders_are_switched_off(owner_client, user):
    owner_client.post(reverse("checkins:reminders"), {"reminder_hour": "9"})
    user.refresh_from_db()
    assert user.reminders_enabled is False
    assert user.next_digest_at is None


def test_it_links_to_check_ins_from_the_main_nav(owner_client):
    page = owner_client.get(reverse("checkins:list")).content.decode()
    assert f'<a href="{reverse("checkins:list")}" aria-current="page">Check-ins</a>' in page
