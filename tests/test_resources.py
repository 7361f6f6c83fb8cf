import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from resources.models import Kind, Resource
from tests.factories import ResourceFactory

starter_set = importlib.import_module("resources.migrations.0002_starter_set")


@pytest.fixture(autouse=True)
def empty_directory(db):
    """Start from an empty directory, so the starter set never decides a test."""
    Resource.objects.all().delete()


def test_it_shows_the_directory_to_anyone(client):
    ResourceFactory(name="Everyone's Line", country="")
    ResourceFactory(name="British Line", country="GB")
    response = client.get(reverse("resources:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Everyone&#x27;s Line" in page
    assert "British Line" not in page, "no country chosen: only the ones serving everyone"
    assert "Pick your country" in page


def test_it_uses_the_country_on_the_account(owner_client, user):
    user.country = "GB"
    user.save()
    ResourceFactory(name="Everyone's Line", country="")
    ResourceFactory(name="British Line", country="GB")
    ResourceFactory(name="Irish Line", country="IE")
    page = owner_client.get(reverse("resources:list")).content.decode()
    assert "British Line" in page
    assert "Everyone&#x27;s Line" in page
    assert "Irish Line" not in page


def test_it_lets_anyone_pick_a_country(client):
    ResourceFactory(name="Irish Line", country="IE")
    page = client.get(reverse("resources:list"), {"country": "IE"}).content.decode()
    assert "Irish Line" in page


def test_it_filters_by_type_of_support_and_kind(client):
    ResourceFactory(name="Listening Line", country="", gives_emotional=True)
    ResourceFactory(
        name="Peer Circle", country="", kind=Kind.PEER_GROUP, gives_emotional=False, gives_peer=True
    )
    page = client.get(reverse("resources:list"), {"type": "peer"}).content.decode()
    assert "Peer Circle" in page
    assert "Listening Line" not in page
    page = client.get(reverse("resources:list"), {"kind": "crisis_line"}).content.decode()
    assert "Listening Line" in page
    assert "Peer Circle" not in page


def test_it_ignores_filters_it_does_not_know(client):
    ResourceFactory(name="Listening Line", country="")
    response = client.get(reverse("resources:list"), {"type": "nonsense", "country": "ZZ"})
    assert response.status_code == 200
    assert "Listening Line" in response.content.decode()


def test_it_never_shows_unpublished_entries(client):
    ResourceFactory(name="Draft Line", country="", is_published=False)
    assert "Draft Line" not in client.get(reverse("resources:list")).content.decode()


def test_it_groups_entries_by_kind_with_readable_headings(client):
    ResourceFactory(country="", kind=Kind.CRISIS_LINE)
    ResourceFactory(country="", kind=Kind.READING, gives_informational=True)
    page = client.get(reverse("resources:list")).content.decode()
    assert '<h2 id="kind-1">Crisis lines</h2>' in page
    assert '<h2 id="kind-2">Reading</h2>' in page


def test_it_says_when_details_are_not_yet_verified(client):
    ResourceFactory(name="Fresh Line", country="", last_verified_on=None)
    assert "Not yet checked by our team" in client.get(reverse("resources:list")).content.decode()


@pytest.mark.parametrize("size", [2, 20])
def test_it_lists_the_directory_in_one_query(client, django_assert_num_queries, size):
    ResourceFactory.create_batch(size, country="")
    with django_assert_num_queries(1):
        response = client.get(reverse("resources:list"))
    assert response.content.decode().count('class="resource"') == size


@pytest.mark.parametrize("size", [2, 20])
def test_it_lists_the_directory_for_a_signed_in_person_in_constant_queries(
    owner_client, django_assert_num_queries, size
):
    ResourceFactory.create_batch(size, country="GB")
    with django_assert_num_queries(3):  # session, user, resources
        owner_client.get(reverse("resources:list"), {"country": "GB"})


def test_it_shows_crisis_lines_for_the_person_s_country_on_the_crisis_page(owner_client, user):
    user.country = "NZ"
    user.save()
    ResourceFactory(name="Kiwi Line", country="NZ", phone="1737")
    ResourceFactory(name="World Line", country="")
    ResourceFactory(name="Aussie Line", country="AU")
    ResourceFactory(name="Kiwi Peer Group", country="NZ", kind=Kind.PEER_GROUP)
    ResourceFactory(name="Hidden Kiwi Line", country="NZ", is_published=False)
    page = owner_client.get(reverse("dashboard:crisis")).content.decode()
    assert "Kiwi Line" in page
    assert 'href="tel:1737"' in page
    assert "World Line" in page
    assert "Aussie Line" not in page
    assert "Kiwi Peer Group" not in page, "only crisis lines on the crisis page"
    assert "Hidden Kiwi Line" not in page
    assert page.index("Kiwi Line") < page.index("World Line"), "local lines first"


def test_it_shows_the_international_lines_on_the_crisis_page_to_anyone(client):
    ResourceFactory(name="World Line", country="")
    ResourceFactory(name="Aussie Line", country="AU")
    page = client.get(reverse("dashboard:crisis")).content.decode()
    assert "World Line" in page
    assert "Aussie Line" not in page


def test_it_asks_a_person_without_a_country_to_choose_one(owner_client):
    page = owner_client.get(reverse("dashboard:crisis")).content.decode()
    assert "Choose your country" in page


def test_it_saves_the_country_on_the_account_page(owner_client, user):
    page = owner_client.get(reverse("accounts:settings")).content.decode()
    assert 'name="country"' in page
    response = owner_client.post(
        reverse("accounts:settings"), {"language": "en-gb", "timezone": "Europe/London", "country": "IE"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.country == "IE"


def test_it_refuses_a_country_that_does_not_exist(owner_client, user):
    response = owner_client.post(
        reverse("accounts:settings"), {"language": "en-gb", "timezone": "Europe/London", "country": "ZZ"}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.country == ""


def test_it_links_to_the_directory_from_the_navigation(owner_client):
    page = owner_client.get(reverse("resources:list")).content.decode()
    assert '<a href="/resources/" aria-current="page">Resources</a>' in page


def test_it_offers_the_snippet_for_a_gap_on_the_dashboard():
    from django.template import Context, Template

    from resources.directory import directory_for

    ResourceFactory(
        name="Peer Circle", country="", kind=Kind.PEER_GROUP, gives_emotional=False, gives_peer=True
    )
    ResourceFactory(name="Listening Line", country="", gives_emotional=True)
    directory = directory_for(country="", topics=[])
    template = Template(
        "{% load directory %}"
        '{% include "resources/snippets/for_support_type.html" with resources=directory|offering:"peer" '
        'support_type="peer" %}'
    )
    html = template.render(Context({"directory": directory}))
    assert "Peer Circle" in html
    assert "Listening Line" not in html
    assert "/resources/?type=peer" in html


def test_it_knows_which_phone_numbers_can_be_dialled_and_which_texted():
    assert [action.href for action in Resource(phone="116 123").phone_actions] == ["tel:116123"]
    assert [action.href for action in Resource(phone="+44 800 000").phone_actions] == ["tel:+44800000"]
    assert [action.href for action in Resource(phone="Text SHOUT to 85258").phone_actions] == [
        "sms:85258?body=SHOUT"
    ]
    assert Resource(phone="").phone_actions == []


def test_it_ships_a_starter_set_marked_as_never_verified():
    starter_set.add_starter_set(apps, None)
    starter = Resource.objects.all()
    assert starter.count() == len(starter_set.STARTER_SET) >= 10
    assert all(resource.last_verified_on is None for resource in starter)
    assert starter.filter(country="", kind=Kind.CRISIS_LINE).exists(), "international lines for everyone"
    assert all(resource.support_types for resource in starter)
    starter_set.add_starter_set(apps, None)
    assert Resource.objects.count() == len(starter_set.STARTER_SET), "running it twice adds nothing"
    assert "verify before relying on it" in starter_set.__doc__.lower()


def test_it_renders_the_crisis_lines_snippet_for_a_given_country_without_its_heading():
    from django.template import Context, Template

    from resources.directory import crisis_lines_for

    ResourceFactory(name="Kiwi Line", country="NZ")
    ResourceFactory(name="Aussie Line", country="AU")
    html = Template('{% include "resources/snippets/crisis_lines.html" with heading=False %}').render(
        Context({"crisis_lines": crisis_lines_for(country="NZ")})
    )
    assert "Kiwi Line" in html
    assert "Aussie Line" not in html
    assert "<h2" not in html
    assert "aria-labelledby" not in html
