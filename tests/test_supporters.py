from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from checkins.models import CheckIn
from contacts import services
from contacts.models import Circle, Rhythm, Supporter
from contacts.signals import supporter_schedule_changed
from core.support_types import SupportType
from dashboard.supporter_pages import LIST_PAGE_SIZE
from tests.factories import CheckInFactory, SupporterFactory, UserFactory


def form_data(**overrides):
    data = {
        "name": "Aisha Khan",
        "relationship": "sister",
        "support_types": ["emotional", "instrumental"],
        "circle": "inner",
        "feeling": "energising",
        "email": "aisha@example.com",
        "phone": "+44 20 7946 0958",
        "preferred_channel": "call",
        "best_times": "Not after 9pm",
        "rhythm": "circle",
        "rhythm_days": "",
        "notes": "Likes long walks.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def supporter(user):
    return SupporterFactory(owner=user, name="Sam Rivers", relationship="neighbour", circle=Circle.INNER)


@pytest.fixture
def schedule_changes():
    """Every `supporter_schedule_changed` the check-ins app would receive, as (owner, ids)."""
    received = []

    def receiver(sender, owner, supporter_ids, **kwargs):
        received.append((owner, sorted(supporter_ids)))

    supporter_schedule_changed.connect(receiver)
    yield received
    supporter_schedule_changed.disconnect(receiver)


# --- Adding ------------------------------------------------------------------------------------


def test_it_adds_a_supporter_with_several_types(owner_client, user, schedule_changes):
    response = owner_client.post(
        reverse("contacts:add"), form_data(support_types=["emotional", "peer", "professional"])
    )
    supporter = Supporter.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("contacts:detail", args=[supporter.pk])
    assert supporter.owner == user
    assert supporter.support_types == [SupportType.EMOTIONAL, SupportType.PEER, SupportType.PROFESSIONAL]
    assert not supporter.gives_informational
    assert not supporter.gives_instrumental
    assert supporter.phone == "+44 20 7946 0958"
    assert supporter.rhythm == Rhythm.CIRCLE
    assert supporter.rhythm_days is None
    assert supporter.rhythm_in_days() == 7
    assert schedule_changes == [(user, [supporter.pk])]


def test_it_shows_each_type_with_its_description_on_the_form(owner_client):
    content = owner_client.get(reverse("contacts:add")).content.decode()
    assert "Practical" in content
    assert "Helps in practical ways" in content
    assert "Has lived experience of something similar" in content
    assert "<legend" in content


def test_it_needs_only_a_name_and_a_type(owner_client, user):
    response = owner_client.post(
        reverse("contacts:add"),
        {"name": "Jo", "support_types": ["peer"], "circle": "outer", "rhythm": "circle"},
    )
    assert response.status_code == 302
    supporter = Supporter.objects.get()
    assert supporter.support_types == [SupportType.PEER]
    assert supporter.rhythm_in_days() == 30


def test_it_stores_a_custom_rhythm(owner_client):
    owner_client.post(reverse("contacts:add"), form_data(rhythm="custom", rhythm_days="10"))
    supporter = Supporter.objects.get()
    assert supporter.rhythm_days == 10
    assert supporter.rhythm_in_days() == 10


def test_it_forgets_a_leftover_number_of_days_when_the_rhythm_is_not_custom(owner_client):
    owner_client.post(reverse("contacts:add"), form_data(rhythm="none", rhythm_days="12"))
    supporter = Supporter.objects.get()
    assert supporter.rhythm_days is None
    assert supporter.rhythm_in_days() is None


@pytest.mark.parametrize(
    "phone",
    ["+44 20 7946 0958", "(555) 123-4567", "+1-202-555-0175", "0612.34.56.78", "111", "+49 30/1234567"],
)
def test_it_accepts_phone_numbers_written_the_ways_people_write_them(owner_client, phone):
    response = owner_client.post(reverse("contacts:add"), form_data(phone=phone))
    assert response.status_code == 302
    assert Supporter.objects.get().phone == phone


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Please give this person a name"),
        ({"name": "   "}, "name", "Please give this person a name"),
        ({"name": "x" * 101}, "name", "Please keep this to 100 characters or fewer (it has 101)"),
        ({"relationship": "x" * 101}, "relationship", "Please keep this to 100 characters or fewer"),
        ({"support_types": None}, "support_types", "Choose at least one kind of support this person gives"),
        ({"support_types": ["emotional", "telepathic"]}, "support_types", "Please choose one of the options"),
        ({"circle": "innermost"}, "circle", "Please choose one of the options shown"),
        ({"circle": None}, "circle", "Choose how close you are"),
        ({"feeling": "awful"}, "feeling", "Please choose one of the options shown"),
        ({"preferred_channel": "pigeon"}, "preferred_channel", "Please choose one of the options shown"),
        ({"rhythm": "hourly"}, "rhythm", "Please choose one of the options shown"),
        ({"rhythm": "custom", "rhythm_days": ""}, "rhythm_days", "Say how many days between check-ins"),
        ({"rhythm": "custom", "rhythm_days": "0"}, "rhythm_days", "Choose a number of days from 1 to 365"),
        ({"rhythm": "custom", "rhythm_days": "-3"}, "rhythm_days", "Choose a number of days from 1 to 365"),
        ({"rhythm": "custom", "rhythm_days": "366"}, "rhythm_days", "Choose a number of days from 1 to 365"),
        (
            {"rhythm": "custom", "rhythm_days": "99999"},
            "rhythm_days",
            "Choose a number of days from 1 to 365",
        ),
        ({"rhythm": "custom", "rhythm_days": "often"}, "rhythm_days", "Enter a whole number of days"),
        ({"email": "aisha at example"}, "email", "Enter an email address like name@example.com"),
        ({"email": "a" * 250 + "@example.com"}, "email", "Please keep this to 254 characters or fewer"),
        ({"phone": "call me maybe"}, "phone", "Enter a phone number with digits"),
        ({"phone": "12"}, "phone", "Enter a phone number with digits"),
        ({"phone": "+44 20 7946 0958 1234 5678"}, "phone", "Enter a phone number with digits"),
        ({"phone": "1" * 31}, "phone", "Please keep this to 30 characters or fewer"),
        ({"best_times": "x" * 501}, "best_times", "Please keep this to 500 characters or fewer"),
        ({"notes": "x" * 5001}, "notes", "Please keep this to 5000 characters or fewer"),
    ],
)
def test_it_explains_bad_input_kindly_keeps_what_was_typed_and_saves_nothing(
    owner_client, overrides, field, message
):
    response = owner_client.post(reverse("contacts:add"), form_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    content = response.content.decode()
    assert message.replace("'", "&#x27;") in content
    assert "A few things need another look" in content
    assert not Supporter.objects.exists()
    # Everything typed comes back, so nothing has to be typed twice.
    form = response.context["form"]
    for name, value in form_data(**overrides).items():
        assert form[name].value() == value
    rendered = {
        "relationship": 'value="sister"',
        "notes": "Likes long walks.",
        "support_types": 'value="instrumental" class="choice-list" id="id_support_types_2" checked',
        "phone": 'value="+44 20 7946 0958"',
    }
    for name, html in rendered.items():
        assert name in overrides or html in content


# --- The list ----------------------------------------------------------------------------------


def test_it_welcomes_a_new_person_with_the_five_types(owner_client):
    response = owner_client.get(reverse("contacts:list"))
    content = response.content.decode()
    assert "Who is in your corner?" in content
    for description in [
        "Listens without judging",
        "Shares advice",
        "Helps in practical ways",
        "lived experience",
        "therapist",
    ]:
        assert description in content
    assert reverse("contacts:add") in content
    assert "Search by name" not in content


def test_it_lists_supporters_with_badges_circle_rhythm_and_dates(owner_client, user):
    SupporterFactory(
        owner=user,
        name="Aisha",
        gives_emotional=True,
        gives_peer=True,
        circle=Circle.INNER,
        is_crisis_contact=True,
        last_check_in_at="2026-11-20T10:00:00Z",
        next_check_in_at=timezone.now() + timedelta(days=5),
    )
    SupporterFactory(
        owner=user,
        name="Dr Lee",
        gives_emotional=False,
        gives_professional=True,
        circle=Circle.OUTER,
        rhythm=Rhythm.CUSTOM,
        rhythm_days=60,
    )
    SupporterFactory(name="Someone else's friend")
    content = owner_client.get(reverse("contacts:list")).content.decode()
    assert "Aisha" in content
    assert "Dr Lee" in content
    assert "Someone else" not in content
    assert 'class="badge badge-emotional">Emotional<' in content
    assert 'class="badge badge-peer">Peer<' in content
    assert 'class="badge badge-professional">Professional<' in content
    assert "Crisis contact" in content
    assert "Inner circle" in content
    assert "Every 7 days (the usual for the inner circle)" in content
    assert "Every 60 days" in content
    assert "20 Nov 2026" in content
    next_on = timezone.localtime(timezone.now() + timedelta(days=5), user.zone)
    assert f"Next {next_on.day} {next_on:%b}." in content
    assert "2 people" in content


@pytest.fixture
def network(user):
    return {
        "aisha": SupporterFactory(
            owner=user, name="Aisha", relationship="sister", gives_peer=True, circle=Circle.INNER
        ),
        "ben": SupporterFactory(
            owner=user,
            name="Ben",
            relationship="therapist",
            gives_emotional=False,
            gives_professional=True,
            circle=Circle.OUTER,
        ),
        "cleo": SupporterFactory(
            owner=user, name="Cleo", relationship="peer group friend", gives_peer=True, circle=Circle.MIDDLE
        ),
        "dan": SupporterFactory(
            owner=user,
            name="Dan",
            relationship="old friend",
            circle=Circle.INNER,
            is_archived=True,
            gives_peer=True,
        ),
    }


def listed(client, **params):
    return [
        supporter.name for supporter in client.get(reverse("contacts:list"), params).context["supporters"]
    ]


def test_it_filters_by_type(owner_client, network):
    assert listed(owner_client, type="peer") == ["Aisha", "Cleo"]
    assert listed(owner_client, type="professional") == ["Ben"]
    assert listed(owner_client, type="instrumental") == []


def test_it_filters_by_circle(owner_client, network):
    assert listed(owner_client, circle="inner") == ["Aisha"]
    assert listed(owner_client, circle="outer") == ["Ben"]
    assert listed(owner_client, circle="inner", type="peer") == ["Aisha"]


def test_it_searches_by_name_or_relationship(owner_client, network):
    assert listed(owner_client, q="cle") == ["Cleo"]
    assert listed(owner_client, q="THERAPIST") == ["Ben"]
    assert listed(owner_client, q="friend") == ["Cleo"]
    assert listed(owner_client, q="friend", archived="on") == ["Cleo", "Dan"]
    content = owner_client.get(reverse("contacts:list"), {"q": "zebra"}).content.decode()
    assert "No one matches that search" in content


def test_it_hides_archived_people_unless_asked(owner_client, network):
    assert listed(owner_client) == ["Aisha", "Ben", "Cleo"]
    assert listed(owner_client, archived="on") == ["Aisha", "Ben", "Cleo", "Dan"]


def test_it_says_so_when_everyone_is_archived(owner_client, user):
    SupporterFactory(owner=user, is_archived=True)
    content = owner_client.get(reverse("contacts:list")).content.decode()
    assert "Everyone in your list is archived" in content
    assert "Who is in your corner?" not in content


def test_it_ignores_tampered_filter_values(owner_client, network):
    assert listed(owner_client, type="telepathic", circle="innermost", q="x" * 500) == [
        "Aisha",
        "Ben",
        "Cleo",
    ]


@pytest.mark.parametrize("count", [20, 300])
def test_it_lists_supporters_in_a_constant_number_of_queries(
    owner_client, user, count, django_assert_num_queries
):
    SupporterFactory.create_batch(count, owner=user, gives_peer=True, is_crisis_contact=True, circle="middle")
    # Session, user, the count of matches, one page of supporters (with their owner joined).
    with django_assert_num_queries(4):
        response = owner_client.get(reverse("contacts:list"), {"type": "peer", "circle": "middle"})
    assert len(response.context["supporters"]) == min(count, LIST_PAGE_SIZE)
    assert f"{count} matching people" in response.content.decode()


def test_it_pages_a_long_list_keeping_the_filters(owner_client, user, other_user):
    assert LIST_PAGE_SIZE < 30
    for index in range(30):
        SupporterFactory(owner=user, name=f"Person {index:02d}", gives_peer=True)
    SupporterFactory(owner=other_user, name="Person 99", gives_peer=True)
    first = owner_client.get(reverse("contacts:list"), {"type": "peer"}).content.decode()
    assert "Person 00" in first and f"Person {LIST_PAGE_SIZE - 1:02d}" in first
    assert f"Person {LIST_PAGE_SIZE:02d}" not in first
    assert '<nav class="pagination" aria-label="Pages of supporters">' in first
    assert 'href="?type=peer&amp;page=2" rel="next"' in first
    assert f"30 matching people: 1 to {LIST_PAGE_SIZE} below" in first
    second = owner_client.get(reverse("contacts:list"), {"type": "peer", "page": 2}).content.decode()
    assert f"Person {LIST_PAGE_SIZE:02d}" in second and "Person 29" in second
    assert "Person 00" not in second and "Person 99" not in second
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2<' in second
    # A page number that does not exist shows the nearest page, never an error.
    for page in ("0", "99", "x"):
        assert owner_client.get(reverse("contacts:list"), {"page": page}).status_code == 200


def test_a_short_list_has_no_pages(owner_client, network):
    assert "pagination" not in owner_client.get(reverse("contacts:list")).content.decode()


# --- Detail, edit, archive, delete --------------------------------------------------------------


def test_it_shows_a_supporter(owner_client, supporter):
    supporter.phone = "+44 20 7946 0958"
    supporter.feeling = "draining"
    supporter.best_times = "Weekends only"
    supporter.notes = "Met at the allotment."
    supporter.save()
    content = owner_client.get(reverse("contacts:detail", args=[supporter.pk])).content.decode()
    assert "Sam Rivers" in content
    assert 'href="tel:+442079460958"' in content
    assert "Weekends only" in content
    assert "Met at the allotment." in content
    assert "not about" in content  # "draining" is about the tie, never the person
    assert "Listens without judging" in content
    assert "No check-ins yet." in content


def test_it_edits_a_supporter(owner_client, supporter, schedule_changes):
    response = owner_client.get(reverse("contacts:edit", args=[supporter.pk]))
    assert response.context["form"]["name"].value() == "Sam Rivers"
    assert response.context["form"]["support_types"].value() == ["emotional"]

    response = owner_client.post(
        reverse("contacts:edit", args=[supporter.pk]),
        form_data(name="Sam R.", support_types=["informational"], circle="middle"),
    )
    assert response.status_code == 302
    supporter.refresh_from_db()
    assert supporter.name == "Sam R."
    assert supporter.support_types == [SupportType.INFORMATIONAL]
    assert supporter.circle == Circle.MIDDLE
    assert schedule_changes == [(supporter.owner, [supporter.pk])]


def test_it_does_not_announce_a_schedule_change_when_only_details_change(
    owner_client, supporter, schedule_changes
):
    owner_client.post(
        reverse("contacts:edit", args=[supporter.pk]),
        form_data(name="Sam R.", support_types=["emotional"], circle="inner"),
    )
    assert schedule_changes == []


def test_it_keeps_a_supporter_unchanged_when_an_edit_has_errors(owner_client, supporter):
    response = owner_client.post(
        reverse("contacts:edit", args=[supporter.pk]), form_data(name="Samuel", support_types=None)
    )
    assert response.status_code == 200
    assert "Choose at least one kind of support this person gives" in response.content.decode()
    assert 'value="Samuel"' in response.content.decode()
    supporter.refresh_from_db()
    assert supporter.name == "Sam Rivers"
    assert supporter.gives_emotional


def test_it_archives_and_unarchives(owner_client, supporter, schedule_changes):
    response = owner_client.post(reverse("contacts:archive", args=[supporter.pk]))
    assert response.status_code == 302
    supporter.refresh_from_db()
    assert supporter.is_archived
    assert "is archived" in owner_client.get(reverse("contacts:list")).content.decode()  # the message
    assert listed(owner_client) == []
    assert "is archived" in owner_client.get(reverse("contacts:detail", args=[supporter.pk])).content.decode()

    owner_client.post(reverse("contacts:unarchive", args=[supporter.pk]))
    supporter.refresh_from_db()
    assert not supporter.is_archived
    assert len(schedule_changes) == 2


@pytest.mark.parametrize("name", ["contacts:archive", "contacts:unarchive"])
def test_it_only_archives_on_post(owner_client, supporter, name):
    assert owner_client.get(reverse(name, args=[supporter.pk])).status_code == 405
    supporter.refresh_from_db()
    assert not supporter.is_archived


def test_it_asks_before_deleting_and_says_check_ins_go_too(owner_client, supporter):
    CheckInFactory(supporter=supporter)
    response = owner_client.get(reverse("contacts:delete", args=[supporter.pk]))
    assert response.status_code == 200
    assert "every check-in you" in response.content.decode()
    assert Supporter.objects.filter(pk=supporter.pk).exists()


def test_it_deletes_a_supporter_with_their_check_ins(owner_client, user, supporter):
    CheckInFactory.create_batch(2, supporter=supporter)
    kept = CheckInFactory(supporter=SupporterFactory(owner=user))
    response = owner_client.post(reverse("contacts:delete", args=[supporter.pk]))
    assert response.status_code == 302
    assert response.url == reverse("contacts:list")
    assert not Supporter.objects.filter(pk=supporter.pk).exists()
    assert list(CheckIn.objects.all()) == [kept]


# --- Privacy: owner, outsider, anonymous on every URL and method --------------------------------

SUPPORTER_URLS = [
    "contacts:detail",
    "contacts:edit",
    "contacts:archive",
    "contacts:unarchive",
    "contacts:delete",
]


@pytest.mark.parametrize("name", SUPPORTER_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_gives_an_outsider_a_404_and_changes_nothing(outsider_client, supporter, name, method):
    CheckInFactory(supporter=supporter)
    data = form_data(name="Taken over") if method == "post" else {}
    response = getattr(outsider_client, method)(reverse(name, args=[supporter.pk]), data)
    assert response.status_code == 404
    supporter.refresh_from_db()
    assert supporter.name == "Sam Rivers"
    assert not supporter.is_archived
    assert CheckIn.objects.filter(supporter=supporter).exists()


@pytest.mark.parametrize("name", SUPPORTER_URLS)
def test_it_answers_the_owner_on_every_supporter_url(owner_client, supporter, name):
    method = "post" if name in {"contacts:archive", "contacts:unarchive"} else "get"
    response = getattr(owner_client, method)(reverse(name, args=[supporter.pk]))
    assert response.status_code in {200, 302}


def test_it_gives_a_404_for_a_supporter_that_does_not_exist(owner_client):
    assert owner_client.get(reverse("contacts:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("name", SUPPORTER_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_anonymous_visitors_to_sign_in_from_supporter_urls(client, supporter, name, method):
    response = getattr(client, method)(reverse(name, args=[supporter.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert Supporter.objects.filter(pk=supporter.pk, is_archived=False).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["contacts:list", "contacts:add", "contacts:rhythm_defaults"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_anonymous_visitors_to_sign_in(client, name, method):
    response = getattr(client, method)(reverse(name), form_data())
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not Supporter.objects.exists()


def test_it_puts_supporters_in_the_main_navigation(owner_client):
    content = owner_client.get(reverse("contacts:list")).content.decode()
    assert f'href="{reverse("contacts:list")}" aria-current="page">Supporters<' in content


# --- Default rhythms per circle on the account page --------------------------------------------


def test_it_shows_the_default_rhythms_on_the_account_page(owner_client):
    content = owner_client.get(reverse("accounts:settings")).content.decode()
    assert "Usual check-in rhythms" in content
    assert 'name="inner_rhythm_days" value="7"' in content
    assert f'action="{reverse("contacts:rhythm_defaults")}"' in content


def test_it_moves_everyone_on_the_usual_rhythm_when_a_default_changes(owner_client, user, schedule_changes):
    usual_inner = SupporterFactory(owner=user, circle=Circle.INNER)
    usual_outer = SupporterFactory(owner=user, circle=Circle.OUTER)
    custom_inner = SupporterFactory(owner=user, circle=Circle.INNER, rhythm=Rhythm.CUSTOM, rhythm_days=3)
    SupporterFactory(circle=Circle.INNER)  # someone else's

    response = owner_client.post(
        reverse("contacts:rhythm_defaults"),
        {"inner_rhythm_days": "5", "middle_rhythm_days": "14", "outer_rhythm_days": "30"},
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:settings")
    user.refresh_from_db()
    assert (user.inner_rhythm_days, user.middle_rhythm_days, user.outer_rhythm_days) == (5, 14, 30)
    assert Supporter.objects.get(pk=usual_inner.pk).rhythm_in_days() == 5
    assert Supporter.objects.get(pk=usual_outer.pk).rhythm_in_days() == 30
    assert Supporter.objects.get(pk=custom_inner.pk).rhythm_in_days() == 3
    assert schedule_changes == [(user, [usual_inner.pk])]
    assert (
        "1 person follows the new rhythm" in owner_client.get(reverse("accounts:settings")).content.decode()
    )


@pytest.mark.parametrize("value", ["0", "366", "-1", "soon", ""])
def test_it_refuses_an_absurd_default_rhythm(owner_client, user, value):
    response = owner_client.post(
        reverse("contacts:rhythm_defaults"),
        {"inner_rhythm_days": "5", "middle_rhythm_days": value, "outer_rhythm_days": "30"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Choose a number of days from 1 to 365" in content or "Enter a whole number of days" in content
    user.refresh_from_db()
    assert (user.inner_rhythm_days, user.middle_rhythm_days) == (7, 14)


# --- Services and querysets --------------------------------------------------------------------


def test_it_refuses_a_supporter_without_a_type_in_the_service(user):
    with pytest.raises(ValueError, match="at least one type"):
        services.supporter_create(owner=user, name="Nobody", support_types=[])
    assert not Supporter.objects.exists()


def test_it_scopes_querysets_to_the_owner(user, other_user):
    mine = SupporterFactory(owner=user, gives_peer=True)
    SupporterFactory(owner=other_user, gives_peer=True)
    assert list(Supporter.objects.for_owner(user).giving("peer")) == [mine]
    assert list(Supporter.objects.for_owner(user).giving(SupportType.PROFESSIONAL)) == []
    with pytest.raises(ValueError):
        Supporter.objects.giving("telepathic")


# --- Admin -------------------------------------------------------------------------------------


def test_it_shows_supporters_in_the_admin_to_superusers_only(client, supporter, two_step_login):
    admin_url = reverse("admin:contacts_supporter_changelist")
    moderator = UserFactory(is_staff=True)
    two_step_login(client, moderator)
    assert client.get(admin_url).status_code == 403
    assert client.get(reverse("admin:contacts_supporter_change", args=[supporter.pk])).status_code == 403

    two_step_login(client, UserFactory(is_staff=True, is_superuser=True))
    response = client.get(admin_url)
    assert response.status_code == 200
    assert "Sam Rivers" in response.content.decode()


def test_it_keeps_the_anonymous_user_out_of_the_admin_permission_checks():
    from django.contrib.admin.sites import site

    from contacts.models import Supporter as Model

    request = type("Request", (), {"user": AnonymousUser()})()
    assert not site._registry[Model].has_view_permission(request)
