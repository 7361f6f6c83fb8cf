import datetime
import itertools
import math
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from checkins.models import CheckIn
from contacts.models import Circle, Rhythm
from core.support_types import SUPPORT_TYPE_SUGGESTIONS, SupportType
from dashboard import circles
from dashboard.overview import PICTURE_LIMIT, active_supporters, network_summary, overview_of
from tests.factories import CheckInFactory, ResourceFactory, SupporterFactory, UserFactory

NOW = datetime.datetime(2026, 11, 18, 12, 0, tzinfo=datetime.UTC)  # a Wednesday


def overview_for(*, user, now):
    """The dashboard's overview worked out afresh, as the page does when nothing is kept."""
    supporters = active_supporters(user)
    summary = network_summary(user, supporters, now)
    return overview_of(user=user, now=now, summary=summary, supporters=supporters)


def days_ago(days):
    return NOW - datetime.timedelta(days=days)


def only(kind, **fields):
    """Fields for a supporter who gives exactly this one kind of support."""
    return {f"gives_{each.value}": each == kind for each in SupportType} | fields


def page(client):
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    return response.content.decode()


# --- Who may see it -------------------------------------------------------------------------------


def test_it_shows_an_anonymous_visitor_what_supportnet_is_and_a_way_in(client, db):
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "Who it is for" in page
    assert "not an emergency service" in page
    assert "How your data is protected" in page
    assert f'action="{reverse("account_signup")}"' in page
    assert 'name="password2"' in page
    assert "Your support network" not in page


def test_it_shows_the_owner_only_their_own_network(owner_client, user, other_user):
    SupporterFactory(owner=user, name="Maya Patel")
    SupporterFactory(owner=other_user, name="Someone Else", is_crisis_contact=True, phone="+44 7700 900123")
    html = page(owner_client)
    assert "Maya Patel" in html
    assert "Someone Else" not in html
    assert "7700" not in html


def test_it_shows_an_outsider_none_of_the_owners_people(outsider_client, user):
    SupporterFactory(owner=user, name="Maya Patel")
    html = page(outsider_client)
    assert "Maya Patel" not in html
    assert "Add the first person" in html


# --- First visit ----------------------------------------------------------------------------------


def test_it_greets_a_new_person_with_a_guided_start_instead_of_empty_widgets(owner_client):
    html = page(owner_client)
    assert "Add the first person" in html
    assert 'href="/supporters/new/"' in html
    for kind in SupportType:
        assert str(kind.label) in html
    assert "Who to reach out to" not in html
    assert "<svg" not in html
    assert "not an emergency service" in html


def test_it_treats_a_network_of_only_archived_people_as_a_first_visit(owner_client, user):
    SupporterFactory(owner=user, name="Old Friend", is_archived=True)
    html = page(owner_client)
    assert "Add the first person" in html
    assert "Old Friend" not in html


# --- Support by type --------------------------------------------------------------------------------


def test_it_counts_supporters_per_type_and_shows_the_gaps_with_suggestions(owner_client, user):
    SupporterFactory(owner=user, **only(SupportType.EMOTIONAL))
    SupporterFactory(owner=user, **only(SupportType.EMOTIONAL, gives_peer=True))
    SupporterFactory(owner=user, **only(SupportType.PROFESSIONAL))
    SupporterFactory(owner=user, **only(SupportType.INSTRUMENTAL, is_archived=True))

    overview = overview_for(user=user, now=NOW)
    counts = {summary.kind: summary.count for summary in overview.types}
    assert counts == {
        SupportType.EMOTIONAL: 2,
        SupportType.INFORMATIONAL: 0,
        SupportType.INSTRUMENTAL: 0,
        SupportType.PEER: 1,
        SupportType.PROFESSIONAL: 1,
    }
    assert [gap.kind for gap in overview.gaps] == [SupportType.INFORMATIONAL, SupportType.INSTRUMENTAL]

    html = page(owner_client)
    types_section = html[html.index('id="kinds"') :]
    assert types_section.count("nobody yet") == 2
    assert "2 people" in types_section
    for kind in (SupportType.INFORMATIONAL, SupportType.INSTRUMENTAL):
        assert str(SUPPORT_TYPE_SUGGESTIONS[kind]).replace("'", "&#x27;") in html
    for kind in (SupportType.EMOTIONAL, SupportType.PEER, SupportType.PROFESSIONAL):
        assert str(SUPPORT_TYPE_SUGGESTIONS[kind]).replace("'", "&#x27;") not in html


def test_it_offers_matching_entries_of_the_directory_beside_a_gap(owner_client, user):
    user.country = "IS"
    user.save()
    SupporterFactory(owner=user, **only(SupportType.EMOTIONAL))
    ResourceFactory(
        name="Reykjavik Peer Circle", kind="peer_group", country="IS", gives_emotional=False, gives_peer=True
    )
    ResourceFactory(
        name="Unchecked Peer Group", kind="peer_group", country="IS", gives_peer=True, is_published=False
    )
    ResourceFactory(name="Somewhere Else Peers", kind="peer_group", country="NO", gives_peer=True)
    html = page(owner_client)
    kinds = html[html.index('id="kinds"') :]
    assert "Reykjavik Peer Circle" in kinds
    assert "Unchecked Peer Group" not in html
    assert "Somewhere Else Peers" not in html
    assert "/resources/?type=peer" in kinds


# --- Due now --------------------------------------------------------------------------------------


def test_it_lists_who_is_due_most_overdue_first(user):
    user.inner_rhythm_days = 7
    user.save()
    a_bit_late = SupporterFactory(
        owner=user,
        name="A Bit Late",
        circle=Circle.INNER,
        last_check_in_at=days_ago(8),
        next_check_in_at=days_ago(1),
    )
    very_late = SupporterFactory(
        owner=user,
        name="Very Late",
        circle=Circle.INNER,
        last_check_in_at=days_ago(20),
        next_check_in_at=days_ago(13),
    )
    SupporterFactory(owner=user, name="Not Yet", last_check_in_at=days_ago(2), next_check_in_at=days_ago(-5))
    SupporterFactory(
        owner=user,
        name="Snoozed",
        last_check_in_at=days_ago(30),
        next_check_in_at=days_ago(-1),  # the check-ins app stores the later of the due moment and the snooze
        snoozed_until=days_ago(-1),
    )
    SupporterFactory(owner=user, name="No Rhythm", rhythm=Rhythm.NONE)

    due = overview_for(user=user, now=NOW).due
    assert [entry.supporter for entry in due] == [very_late, a_bit_late]
    assert [entry.is_overdue for entry in due] == [True, False]
    assert [entry.days_since_contact for entry in due] == [20, 8]


def test_it_compares_lateness_across_different_rhythms(user):
    # 10 days into a 30-day rhythm's lateness (40 days of 30: 1.33) is less late than 11 days of 7 (1.57).
    monthly = SupporterFactory(
        owner=user, circle=Circle.OUTER, last_check_in_at=days_ago(40), next_check_in_at=days_ago(10)
    )
    weekly = SupporterFactory(
        owner=user, circle=Circle.INNER, last_check_in_at=days_ago(11), next_check_in_at=days_ago(4)
    )
    due = overview_for(user=user, now=NOW).due
    assert [entry.supporter for entry in due] == [weekly, monthly]
    assert [entry.is_overdue for entry in due] == [True, False]


def test_it_counts_days_since_being_added_for_someone_never_checked_in_with(user):
    with time_machine.travel(days_ago(11), tick=False):
        newcomer = SupporterFactory(owner=user, circle=Circle.INNER, next_check_in_at=days_ago(3))
    (entry,) = overview_for(user=user, now=NOW).due
    assert entry.supporter == newcomer
    assert entry.days_since_contact == 11
    assert entry.has_checked_in is False
    assert entry.is_overdue is True


@time_machine.travel(NOW, tick=False)
def test_it_shows_the_due_list_with_channel_best_times_and_a_kind_word_for_overdue(owner_client, user):
    SupporterFactory(
        owner=user,
        name="Sam Rivers",
        circle=Circle.INNER,
        preferred_channel="message",
        best_times="Evenings, not after 9pm",
        last_check_in_at=days_ago(12),
        next_check_in_at=days_ago(5),
    )
    html = page(owner_client)
    due_section = html[html.index('id="due"') : html.index('id="circles"')]
    assert "Sam Rivers" in due_section
    assert "Last in touch 12 days ago" in due_section
    assert "prefers message" in due_section
    assert "Evenings, not after 9pm" in due_section
    assert "It has been a while" in due_section
    assert "1 is due for a check-in" in html


@time_machine.travel(NOW, tick=False)
def test_it_shows_the_eight_most_overdue_and_a_link_to_everyone_due(owner_client, user):
    for index in range(11):
        SupporterFactory(
            owner=user,
            name=f"Person {index:02d}",
            circle=Circle.INNER,
            last_check_in_at=days_ago(30 - index),
            next_check_in_at=days_ago(23 - index),
        )
    html = page(owner_client)
    assert html.count('class="due-item') == 8
    assert "Person 00" in html[: html.index('id="circles"')]
    assert "Person 10" not in html[: html.index('id="circles"')]
    assert 'href="?due=all#due">Show all 11 people who are due</a>' in html
    everyone = owner_client.get(reverse("dashboard:home"), {"due": "all"}).content.decode()
    assert everyone.count('class="due-item') == 11
    assert "Show all" not in everyone


@time_machine.travel(NOW, tick=False)
def test_it_says_so_calmly_when_nobody_is_due(owner_client, user):
    SupporterFactory(owner=user, next_check_in_at=days_ago(-3))
    html = page(owner_client)
    assert "Nobody is due right now" in html


def quick_action_forms(html):
    """{action: {field: value}} for the forms in the due list."""
    forms = {}
    for action, body in re.findall(r'<form method="post" action="([^"]+)">(.*?)</form>', html, re.S):
        forms[action] = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', body))
    return forms


@time_machine.travel(NOW, tick=False)
def test_it_logs_a_check_in_with_one_button_from_the_due_list(owner_client, user):
    sam = SupporterFactory(
        owner=user,
        name="Sam Rivers",
        preferred_channel="message",
        last_check_in_at=days_ago(20),
        next_check_in_at=days_ago(6),
    )
    forms = quick_action_forms(page(owner_client))
    fields = forms[reverse("checkins:log")]
    assert fields["happened_at"] == "2026-11-18T12:00"  # London wall-clock time
    response = owner_client.post(reverse("checkins:log"), fields)
    assert response.status_code == 302
    assert response.url == reverse("dashboard:home")
    check_in = CheckIn.objects.get(supporter=sam)
    assert check_in.channel == "message"
    assert check_in.initiated_by == "me"
    assert check_in.happened_at == NOW
    html = page(owner_client)
    assert "Nobody is due right now" in html
    assert "<strong>Sam Rivers</strong>" in html  # in the recent check-ins


@time_machine.travel(NOW, tick=False)
def test_it_snoozes_someone_from_the_due_list(owner_client, user):
    sam = SupporterFactory(
        owner=user, name="Sam Rivers", last_check_in_at=days_ago(20), next_check_in_at=days_ago(6)
    )
    CheckInFactory(supporter=sam, happened_at=days_ago(20))
    forms = quick_action_forms(page(owner_client))
    snooze_url = reverse("dashboard:snooze", args=[sam.id])
    assert snooze_url in forms
    response = owner_client.post(snooze_url, follow=True)
    assert response.redirect_chain == [(reverse("dashboard:home"), 302)]
    html = response.content.decode()
    assert "Snoozed: no reminders about Sam Rivers for 3 days." in html
    assert "Nobody is due right now" in html
    sam.refresh_from_db()
    assert sam.snoozed_until == datetime.datetime(2026, 11, 21, tzinfo=datetime.UTC)  # midnight in London
    assert sam.next_check_in_at == sam.snoozed_until


def test_it_does_not_let_an_outsider_snooze_someone_elses_supporter(outsider_client, user):
    sam = SupporterFactory(owner=user, next_check_in_at=days_ago(6))
    response = outsider_client.post(reverse("dashboard:snooze", args=[sam.id]))
    assert response.status_code == 404
    sam.refresh_from_db()
    assert sam.snoozed_until is None


def test_it_sends_an_anonymous_snooze_to_sign_in(client, user):
    sam = SupporterFactory(owner=user, next_check_in_at=days_ago(6))
    response = client.post(reverse("dashboard:snooze", args=[sam.id]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    sam.refresh_from_db()
    assert sam.snoozed_until is None


def test_it_snoozes_only_on_post(owner_client, user):
    sam = SupporterFactory(owner=user, next_check_in_at=days_ago(6))
    assert owner_client.get(reverse("dashboard:snooze", args=[sam.id])).status_code == 405
    sam.refresh_from_db()
    assert sam.snoozed_until is None


# --- Circles picture ------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_draws_each_supporter_as_a_labelled_linked_dot_coloured_by_main_type(owner_client, user):
    maya = SupporterFactory(owner=user, name="Maya Patel", circle=Circle.INNER, **only(SupportType.PEER))
    late = SupporterFactory(
        owner=user,
        name="Lee Late",
        circle=Circle.OUTER,
        last_check_in_at=days_ago(100),
        next_check_in_at=days_ago(70),
    )
    html = page(owner_client)
    svg = re.search(r'<svg class="circles".*?</svg>', html, re.S).group(0)
    assert '<title id="circles-title">' in svg
    assert "1 person in your inner circle" in svg
    assert "1 person in your outer circle" in svg
    assert f'href="/supporters/{maya.id}/"' in svg
    assert "Maya Patel: peer support" in svg
    assert ">MP</text>" in svg
    assert 'class="dot type-peer"' in svg
    assert svg.count('class="overdue-ring"') == 1
    assert "Lee Late: emotional support, it has been a while" in svg
    plain_list = html[html.index('class="plain-list"') :]
    assert f'<a href="/supporters/{late.id}/">Lee Late</a>' in plain_list
    assert "(not in touch for a while)" in plain_list


@pytest.mark.parametrize("counts", [(1, 0, 0), (0, 0, 1), (3, 8, 20), (150, 0, 0), (0, 150, 0), (0, 0, 150)])
def test_it_lays_out_dots_without_overlaps_inside_their_own_ring(counts):
    assert_no_overlaps(counts)


def test_it_lays_out_every_network_of_1_to_150_without_overlaps():
    for total in range(1, 151):
        for split in {
            (total, 0, 0),
            (0, total, 0),
            (0, 0, total),
            (total // 6, total // 3, total - total // 6 - total // 3),
        }:
            assert_no_overlaps(split)


def test_it_keeps_initials_on_the_dots_for_a_typical_network():
    picture = circles.picture({"inner": list(range(8)), "middle": list(range(20)), "outer": list(range(40))})
    assert picture.size.font_size >= 11


def assert_no_overlaps(counts):
    picture = circles.picture(
        {circle: list(range(n)) for circle, n in zip(circles.CIRCLES, counts, strict=True)}
    )
    dots = [dot for circle in circles.CIRCLES for dot in picture.dots[circle]]
    shown = [dot.item for dot in dots if dot.item is not None]
    assert len(shown) + sum(dot.hidden_count for dot in dots) == sum(counts)
    for first, second in itertools.combinations(dots, 2):
        assert math.dist((first.x, first.y), (second.x, second.y)) >= first.radius + second.radius, counts
    for index, circle in enumerate(circles.CIRCLES):
        inside, outside = picture.edges[index], picture.edges[index + 1]
        for dot in picture.dots[circle]:
            distance = math.dist((dot.x, dot.y), (circles.CENTRE, circles.CENTRE))
            assert inside <= distance - dot.radius and distance + dot.radius <= outside, (counts, circle)


# --- Recent check-ins and activity ----------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_shows_the_last_five_check_ins(owner_client, user):
    supporter = SupporterFactory(owner=user, name="Jo Banks")
    for day in range(7):
        CheckInFactory(supporter=supporter, happened_at=days_ago(day), note=f"note {day}")
    recent = overview_for(user=user, now=NOW).recent_check_ins
    assert [check_in.happened_at for check_in in recent] == [days_ago(day) for day in range(5)]
    html = page(owner_client)
    assert html.count("<strong>Jo Banks</strong>") == 5
    assert "note 0" not in html, "private notes stay on the check-in's own page"


def test_it_dates_recent_check_ins_in_the_owners_time_zone(owner_client, user):
    user.timezone = "Pacific/Auckland"
    user.save()
    supporter = SupporterFactory(owner=user, name="Jo Banks")
    CheckInFactory(
        supporter=supporter, happened_at=datetime.datetime(2026, 11, 15, 11, 30, tzinfo=datetime.UTC)
    )
    assert "16 Nov · phone call" in page(owner_client)


def test_it_counts_check_ins_per_week_in_the_owners_time_zone(user):
    user.timezone = "Pacific/Auckland"  # UTC+13 in November
    user.save()
    supporter = SupporterFactory(owner=user)
    # Monday 16 Nov 00:30 in Auckland is Sunday 15 Nov 11:30 UTC: it belongs to this week.
    CheckInFactory(
        supporter=supporter, happened_at=datetime.datetime(2026, 11, 15, 11, 30, tzinfo=datetime.UTC)
    )
    CheckInFactory(
        supporter=supporter, happened_at=datetime.datetime(2026, 11, 15, 10, 30, tzinfo=datetime.UTC)
    )
    CheckInFactory(supporter=supporter, happened_at=days_ago(7 * 11))
    CheckInFactory(supporter=supporter, happened_at=days_ago(7 * 13))  # too old to show
    weeks = overview_for(user=user, now=NOW).weeks
    assert len(weeks) == 12
    assert weeks[-1].starts_on == datetime.date(2026, 11, 16)
    assert weeks[0].starts_on == datetime.date(2026, 8, 31)
    assert [week.count for week in weeks] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]


@time_machine.travel(NOW, tick=False)
def test_it_draws_the_activity_chart_with_words_and_a_table(owner_client, user):
    supporter = SupporterFactory(owner=user)
    CheckInFactory(supporter=supporter, happened_at=days_ago(1))
    CheckInFactory(supporter=supporter, happened_at=days_ago(2))
    html = page(owner_client)
    chart = re.search(r'<svg class="activity".*?</svg>', html, re.S).group(0)
    assert chart.count('<rect class="bar') == 12
    assert "2 check-ins in the 12 weeks since 31 August" in chart
    assert "<td>16 Nov 2026</td><td>2</td>" in html


# --- Crisis panel -----------------------------------------------------------------------------------


def test_it_lists_crisis_contacts_with_call_and_email_links(owner_client, user):
    SupporterFactory(
        owner=user,
        name="Ana Lopez",
        is_crisis_contact=True,
        phone="+44 (0)7700 900-123",
        email="ana@example.com",
    )
    SupporterFactory(owner=user, name="Not For Crisis", phone="+44 1632 960000")
    SupporterFactory(owner=user, name="Archived Crisis", is_crisis_contact=True, is_archived=True, phone="1")
    html = page(owner_client)
    panel = html[html.index('id="crisis"') : html.index('id="recent"')]
    assert "Ana Lopez" in panel
    assert 'href="tel:+4407700900123"' in panel
    assert 'href="mailto:ana@example.com"' in panel
    assert "Not For Crisis" not in panel
    assert "Archived Crisis" not in html
    assert "SupportNet is not an emergency service" in panel


def test_it_lists_the_directorys_crisis_lines_for_the_persons_country_in_the_panel(owner_client, user):
    user.country = "IS"
    user.save()
    SupporterFactory(owner=user)
    ResourceFactory(name="Calm Line Iceland", kind="crisis_line", country="IS", phone="1717")
    ResourceFactory(name="Norway Line", kind="crisis_line", country="NO", phone="116 123")
    html = page(owner_client)
    panel = html[html.index('id="crisis"') : html.index('id="recent"')]
    assert "Calm Line Iceland" in panel
    assert 'href="tel:1717"' in panel
    assert "Norway Line" not in panel


def test_it_says_how_to_add_a_crisis_contact_when_there_is_none(owner_client, user):
    SupporterFactory(owner=user)
    html = page(owner_client)
    assert "You have not marked anyone as a crisis contact yet" in html


def test_the_crisis_page_lists_the_signed_in_persons_crisis_contacts(owner_client, user, other_user):
    SupporterFactory(owner=user, name="Ana Lopez", is_crisis_contact=True, phone="07700 900123")
    SupporterFactory(owner=other_user, name="Their Friend", is_crisis_contact=True, phone="07700 900999")
    response = owner_client.get(reverse("dashboard:crisis"))
    html = response.content.decode()
    assert "Ana Lopez" in html
    assert 'href="tel:07700900123"' in html
    assert "Their Friend" not in html
    assert "not an emergency service" in html


def test_the_crisis_page_is_open_to_everyone_and_shows_no_contacts_to_outsiders(
    client, outsider_client, user
):
    SupporterFactory(owner=user, name="Ana Lopez", is_crisis_contact=True)
    html = outsider_client.get(reverse("dashboard:crisis")).content.decode()
    assert "Ana Lopez" not in html
    assert "You have not marked anyone" in html
    outsider_client.logout()
    response = client.get(reverse("dashboard:crisis"))
    assert response.status_code == 200
    assert "emergency number" in response.content.decode()
    assert "People you can reach" not in response.content.decode()


def test_every_page_header_links_to_the_crisis_page(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert f'href="{reverse("dashboard:crisis")}"' in html


# --- Speed ------------------------------------------------------------------------------------------


def build_network(owner, supporters, check_ins, kinds=tuple(SupportType)):
    people = [
        SupporterFactory.build(
            owner=owner,
            name=f"Person {index}",
            circle=list(Circle)[index % 3],
            is_crisis_contact=index % 50 == 0,
            phone="07700 900123",
            last_check_in_at=days_ago(index % 60),
            next_check_in_at=days_ago(index % 60 - 14),
            **only(kinds[index % len(kinds)]),
        )
        for index in range(supporters)
    ]
    from contacts.models import Supporter

    people = Supporter.objects.bulk_create(people)
    CheckIn.objects.bulk_create(
        CheckInFactory.build(supporter=people[index % supporters], happened_at=days_ago(index % 120))
        for index in range(check_ins)
    )


@pytest.mark.parametrize(("supporters", "check_ins"), [(20, 80), (300, 5000)])
@pytest.mark.parametrize("with_gaps", [False, True])
def test_it_runs_the_same_few_queries_whatever_the_size_of_the_network(
    db, client, django_assert_num_queries, supporters, check_ins, with_gaps
):
    owner = UserFactory()
    build_network(
        owner, supporters, check_ins, kinds=list(SupportType)[:2] if with_gaps else list(SupportType)
    )
    client.force_login(owner)
    # Session, user, supporters (all of them without a kept page; after, only those shown in full),
    # and with gaps the directory's entries to suggest for them; recent check-ins, check-ins per day
    # and the directory's crisis lines only while the page is not kept yet.
    for first_view in (3, 0):
        with time_machine.travel(NOW, tick=False), django_assert_num_queries(3 + first_view + with_gaps):
            html = page(client)
        drawn = html.count('class="dot type-')
        grouped = sum(int(count) for count in re.findall(r"and (\d+) more in your", html))
        assert drawn + grouped == supporters
        assert drawn <= 3 * PICTURE_LIMIT
        # The list under the picture names exactly the people it draws.
        assert len(re.findall(r'<li><a href="/supporters/\d+/">', html)) == drawn
        assert f"{supporters} people support you" in html
        assert "\x00" not in html  # every hole filled (dashboard.holes)


def test_it_groups_a_crowded_circle_and_draws_those_out_of_touch_first(owner_client, user):
    for index in range(PICTURE_LIMIT + 5):
        SupporterFactory(owner=user, name=f"Person {index:02d}", circle=Circle.MIDDLE)
    late = SupporterFactory(owner=user, name="Zed Late", circle=Circle.MIDDLE, last_check_in_at=days_ago(200))
    from contacts.models import Supporter

    Supporter.objects.filter(pk=late.pk).update(next_check_in_at=days_ago(150))
    with time_machine.travel(NOW, tick=False):
        html = page(owner_client)
    assert html.count('class="dot type-') == PICTURE_LIMIT - 1
    assert "and 7 more in your middle circle" in html
    assert "Zed Late" in html  # out of touch: drawn although last by name
    assert "Person 16" not in html
    assert f'href="{reverse("contacts:list")}?circle=middle">All 18 people in your middle circle' in html


# --- The cached summary ----------------------------------------------------------------------------


def test_a_write_shows_on_the_next_page_at_once(owner_client, user):
    from checkins.services.check_ins import check_in_log
    from contacts import services

    def log(supporter, when):
        check_in_log(owner=user, supporter=supporter, happened_at=when, channel="call", initiated_by="me")

    maya = services.supporter_create(owner=user, name="Maya Patel", support_types=["emotional"])
    assert "1 person support" in page(owner_client)  # the summary is cached from here on
    services.supporter_create(owner=user, name="Ben Okafor", support_types=["peer"])
    html = page(owner_client)
    assert "Ben Okafor" in html and "2 people support" in html
    services.supporter_update(supporter=maya, name="Maya Rivers")
    assert "Maya Rivers" in page(owner_client)
    log(maya, timezone.now() - datetime.timedelta(days=60))
    html = page(owner_client)
    assert "1 is due for a check-in" in html and "1 check-in in the 12 weeks" in html
    log(maya, timezone.now())
    html = page(owner_client)
    assert "due for a check-in" not in html and "2 check-ins in the 12 weeks" in html
    services.supporter_archive(supporter=maya)
    html = page(owner_client)
    assert ">Maya Rivers</a>" not in html and "1 person support" in html  # still in recent check-ins


def test_it_never_serves_one_person_s_summary_to_another(client, db):
    owner, other = UserFactory(), UserFactory()
    SupporterFactory(owner=owner, name="Maya Patel", is_crisis_contact=True)
    SupporterFactory(owner=other, name="Someone Else")
    client.force_login(owner)
    assert "Maya Patel" in page(client)
    client.force_login(other)
    html = page(client)
    assert "Someone Else" in html
    assert "Maya Patel" not in html


def test_a_cached_summary_ends_when_someone_becomes_due(owner_client, user):
    """No write happens at midnight, yet whoever becomes due then shows as due at once."""
    from contacts.models import Supporter

    supporter = SupporterFactory(owner=user, name="Maya Patel")
    tomorrow = NOW + datetime.timedelta(days=1)
    Supporter.objects.filter(pk=supporter.pk).update(next_check_in_at=tomorrow, last_check_in_at=days_ago(6))
    with time_machine.travel(NOW, tick=False):
        assert "due for a check-in" not in page(owner_client)
    with time_machine.travel(tomorrow + datetime.timedelta(minutes=1), tick=False):
        assert "1 is due for a check-in" in page(owner_client)


def test_it_shows_the_dashboard_when_the_clock_says_now(owner_client, user):
    SupporterFactory(owner=user, next_check_in_at=timezone.now() - datetime.timedelta(minutes=1))
    assert "1 is due for a check-in" in page(owner_client)


# --- The kept page (dashboard.network_page) --------------------------------------------------------


def kept_values():
    """Every value the cache holds for this test (its own key prefix: conftest.fresh_cache), raw."""
    from django.conf import settings
    from django.core.cache import cache

    client = cache._cache.get_client()
    keys = client.keys(f"{settings.CACHES['default']['KEY_PREFIX']}:*")
    assert keys
    return b"".join(client.get(key) or b"" for key in keys)


def test_the_kept_page_holds_no_best_times_phone_numbers_or_email(owner_client, user):
    SupporterFactory(
        owner=user,
        name="Maya Patel",
        best_times="Evenings after seven",
        relationship="sister",
        phone="07700 900123",
        email="maya@example.com",
        is_crisis_contact=True,
        last_check_in_at=days_ago(60),
        next_check_in_at=days_ago(30),
    )
    with time_machine.travel(NOW, tick=False):
        for _ in range(2):  # made, then from the cache
            html = page(owner_client)
            assert "Best times: Evenings after seven" in html
            assert 'href="tel:07700900123"' in html and "mailto:maya@example.com" in html
            assert "(sister)" in html
    kept = kept_values()
    assert b"Maya Patel" in kept  # names are kept, as in the summary
    for private in ("Evenings after seven", "07700", "maya@example.com", "sister"):
        assert private.encode() not in kept


def test_the_quick_actions_of_a_kept_page_carry_this_browsers_csrf_token(client, user):
    from django.test import Client

    supporter = SupporterFactory(owner=user, name="Maya Patel", next_check_in_at=days_ago(1))
    browsers = [Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)]
    for browser in browsers:
        browser.force_login(user)
    page(browsers[0])  # makes and keeps the page
    html = page(browsers[1])  # another browser of the same person: the kept page
    snooze = html[html.index(f'action="{reverse("dashboard:snooze", args=[supporter.pk])}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', snooze)[1]
    response = browsers[1].post(
        reverse("dashboard:snooze", args=[supporter.pk]), {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    supporter.refresh_from_db()
    assert supporter.snoozed_until is not None


def test_the_quick_log_of_a_kept_page_says_the_time_of_this_view(owner_client, user):
    user.timezone = "Asia/Kolkata"
    user.save()
    SupporterFactory(owner=user, name="Maya Patel", next_check_in_at=days_ago(1))
    with time_machine.travel(NOW, tick=False):
        assert 'name="happened_at" value="2026-11-18T17:30"' in page(owner_client)
    with time_machine.travel(NOW + datetime.timedelta(minutes=7), tick=False):
        assert 'name="happened_at" value="2026-11-18T17:37"' in page(owner_client)


def test_a_change_to_the_directory_shows_on_the_next_page(owner_client, user):
    from resources.models import Resource

    user.country = "IS"
    user.save()
    SupporterFactory(owner=user)
    line = ResourceFactory(name="Calm Line Iceland", kind="crisis_line", country="IS", phone="1717")
    assert "Calm Line Iceland" in page(owner_client)
    line.name = "Calm Line"
    line.save()
    assert "Calm Line</strong>" in page(owner_client)
    Resource.objects.filter(pk=line.pk).update(is_published=False)  # as the admin's action does
    assert "Calm Line" not in page(owner_client)
    ResourceFactory(name="New Line Iceland", kind="crisis_line", country="IS")
    assert "New Line Iceland" in page(owner_client)
    Resource.objects.filter(country="IS").delete()
    assert "New Line Iceland" not in page(owner_client)


def test_a_new_country_or_language_shows_on_the_next_page(owner_client, user):
    user.country = "GB"
    user.save()
    SupporterFactory(owner=user)
    assert 'href="tel:999"' in page(owner_client)
    # Saved alone: no change to the network (a full save of the user recomputes due moments).
    user.country = "US"
    user.save(update_fields=["country"])
    html = page(owner_client)
    assert 'href="tel:911"' in html and 'href="tel:999"' not in html
    user.language = "es"
    user.save(update_fields=["language"])
    with translation.override("en-gb"):  # the request activates Spanish in this thread: not beyond
        assert "Tu red de apoyo" in page(owner_client)


def test_a_kept_page_still_shows_this_views_message(owner_client, user, rf, django_assert_num_queries):
    from django.contrib import messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    from dashboard.network_page import dashboard_page

    SupporterFactory(owner=user, name="Maya Patel")
    page(owner_client)  # kept from here on
    request = rf.get(reverse("dashboard:home"))
    request.user, request.session = user, owner_client.session
    request._messages = FallbackStorage(request)
    messages.success(request, "Signed in as you.")
    with django_assert_num_queries(1):  # the people shown in full: the page itself is kept
        html = dashboard_page(request, now=timezone.now())
    assert "Signed in as you." in html and "Maya Patel" in html
    assert "\x00" not in html
