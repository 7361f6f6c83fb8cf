"""Crisis help: the country from the time zone, the emergency number per country, call/text actions,
the plan's tappable numbers, and the pieces of the installable app (worker, manifest, offline page,
clearing the device on sign-out)."""

import json
import re

import pytest
from django.urls import reverse
from django_countries import countries

from accounts.models import User
from accounts.timezones import country_for_timezone, country_zones, zone_countries
from core.phones import link_phone_numbers, phone_actions
from resources.emergency import emergency_number_for, emergency_numbers
from tests.factories import ResourceFactory, SupporterFactory, UserFactory
from wellbeing.models import SafetyPlan

# --- Country from the time zone -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "country"),
    [
        ("America/New_York", "US"),
        ("Europe/London", "GB"),
        ("Europe/Dublin", "IE"),
        ("Australia/Sydney", "AU"),
        ("Asia/Kolkata", "IN"),
        ("Asia/Calcutta", "IN"),  # the old name Chromium still reports
        ("Europe/Kiev", "UA"),
        ("America/Toronto", "CA"),
    ],
)
def test_it_finds_the_country_of_a_time_zone(zone, country):
    assert country_for_timezone(zone) == country


@pytest.mark.parametrize("zone", ["UTC", "Etc/GMT+3", "", "Mars/Olympus_Mons"])
def test_it_names_no_country_for_a_zone_of_no_country(zone):
    assert country_for_timezone(zone) == ""


def test_every_zone_maps_to_a_country_we_can_show():
    assert len(zone_countries()) > 400
    assert set(zone_countries().values()) <= set(dict(countries))
    assert "America/Chicago" in country_zones()["US"].split()


def test_the_sign_up_form_offers_the_country_with_its_zones_and_saves_it(client, db, settings):
    settings.ACCOUNT_RATE_LIMITS = False
    html = client.get(reverse("account_signup")).content.decode()
    assert re.search(r'<option value="GB" data-zones="[^"]*Europe/London[^"]*"', html)
    assert 'name="country" data-detect' in html
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": "a calm long passphrase",
            "password2": "a calm long passphrase",
            "timezone": "America/New_York",
            "country": "US",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="new@example.com").country == "US"


def test_the_country_lists_say_what_no_country_means_in_the_language_of_the_page(client, db):
    """User.country's field gives the lists; each page keeps its own words for the blank choice, and
    the names are those of the page's language (not frozen in the language the server started in)."""
    signup = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<option value="" selected>Prefiero no decirlo</option>' in signup
    assert re.search(r'<option value="GB" data-zones="[^"]*">Reino Unido</option>', signup)
    client.force_login(UserFactory(country="IE", language="en-gb"))
    settings_page = client.get(reverse("accounts:settings")).content.decode()
    assert '<option value="">Not set</option>' in settings_page
    assert '<option value="IE" selected>Ireland</option>' in settings_page


def test_a_person_can_clear_their_country(client, db):
    person = UserFactory(country="IE", timezone="Europe/Dublin")
    client.force_login(person)
    response = client.post(reverse("accounts:settings"), {"timezone": "Europe/Dublin", "country": ""})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.country == ""
    assert not person.country


def test_sign_up_refuses_a_made_up_country_kindly(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": "a calm long passphrase",
            "password2": "a calm long passphrase",
            "timezone": "UTC",
            "country": "XX",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(email="new@example.com").exists()


# --- Emergency numbers --------------------------------------------------------------------------


def test_the_emergency_numbers_are_data_for_real_countries():
    numbers = emergency_numbers()
    assert set(numbers) <= set(dict(countries))
    assert all(re.fullmatch(r"\d{3,5}", number) for number in numbers.values())
    assert numbers["GB"] == "999"
    assert numbers["US"] == "911"
    assert numbers["AU"] == "000"
    assert numbers["FR"] == "112"


def test_an_unknown_country_has_no_emergency_number_rather_than_a_guess():
    assert emergency_number_for("") is None
    assert emergency_number_for("AQ") is None
    emergency = emergency_number_for("NZ")
    assert (emergency.number, emergency.href, emergency.country_name) == ("111", "tel:111", "New Zealand")


def test_the_crisis_page_shows_the_persons_emergency_number_as_a_call_button(owner_client, user):
    user.country = "US"
    user.save()
    html = owner_client.get(reverse("dashboard:crisis")).content.decode()
    assert '<a class="button-emergency" href="tel:911">Call 911</a>' in html
    assert "Emergency number in United States" in html


def test_the_crisis_page_shows_the_country_asked_for(client, db):
    html = client.get(reverse("dashboard:crisis"), {"country": "gb"}).content.decode()
    assert 'href="tel:999"' in html
    assert '<option value="GB" selected>' in html


def test_the_crisis_page_ignores_a_made_up_country_and_says_to_call_the_local_number(client, db):
    response = client.get(reverse("dashboard:crisis"), {"country": "<script>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "button-emergency" not in html
    assert "Call your local emergency number" in html


def test_the_dashboard_and_plan_show_the_emergency_number_too(owner_client, user):
    user.country = "IE"
    user.save()
    for url in (reverse("dashboard:home"), reverse("wellbeing:plan")):
        html = owner_client.get(url).content.decode()
        assert 'class="button-emergency" href="tel:112"' in html, url


# --- Call and text actions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "actions"),
    [
        ("116 123", [("call", "tel:116123", "Call 116 123")]),
        ("+1 (800) 273-8255", [("call", "tel:+18002738255", "Call +1 (800) 273-8255")]),
        ("Text SHOUT to 85258", [("text", "sms:85258?body=SHOUT", "Text SHOUT to 85258")]),
        ("text HOME to 741741", [("text", "sms:741741?body=HOME", "Text HOME to 741741")]),
        ("Call or text 988", [("call", "tel:988", "Call 988"), ("text", "sms:988", "Text 988")]),
        ("Text 988", [("text", "sms:988", "Text 988")]),
        ("Online chat only", []),
        ("", []),
    ],
)
def test_a_directory_number_gets_the_action_of_its_kind(phone, actions):
    assert [(action.kind, action.href, action.label) for action in phone_actions(phone)] == actions


def test_a_text_line_is_offered_as_a_text_never_a_call_wherever_crisis_lines_appear(owner_client, user):
    user.country = "GB"
    user.save()
    ResourceFactory(
        name="Shout", country="GB", phone="Text SHOUT to 85258", website="https://giveusashout.org"
    )
    ResourceFactory(name="Samaritans", country="GB", phone="116 123", website="")
    for url in (reverse("dashboard:crisis"), reverse("dashboard:home"), reverse("wellbeing:plan")):
        html = owner_client.get(url).content.decode()
        assert 'href="sms:85258?body=SHOUT">Text SHOUT to 85258</a>' in html, url
        assert "tel:85258" not in html, url
        assert 'href="tel:116123">Call 116 123</a>' in html, url
    html = owner_client.get(reverse("dashboard:crisis")).content.decode()
    assert 'href="https://giveusashout.org" rel="noopener noreferrer">Website' in html


def test_a_crisis_contact_can_be_called_or_texted_from_the_crisis_page(owner_client, user):
    SupporterFactory(owner=user, name="Ana Lopez", is_crisis_contact=True, phone="07700 900123")
    html = owner_client.get(reverse("dashboard:crisis")).content.decode()
    assert 'href="tel:07700900123">Call 07700 900123</a>' in html
    assert 'href="sms:07700900123">Text<span class="visually-hidden"> Ana Lopez</span>' in html


# --- Tappable numbers in the plan's own words ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("Ring Mum on 07700 900123", 'Ring Mum on <a href="tel:07700900123">07700 900123</a>'),
        ("GP: +44 20 7946 0000", 'GP: <a href="tel:+442079460000">+44 20 7946 0000</a>'),
        ("Samaritans 116 123", 'Samaritans <a href="tel:116123">116 123</a>'),
        ("call 999", 'call <a href="tel:999">999</a>'),
        ("Text SHOUT to 85258", '<a href="sms:85258?body=SHOUT">Text SHOUT to 85258</a>'),
        ("walk 3 times a week", "walk 3 times a week"),
        ("since 2019, on 12/05/2024", "since 2019, on 12/05/2024"),
        ("<b>07700 900123</b>", '&lt;b&gt;<a href="tel:07700900123">07700 900123</a>&lt;/b&gt;'),
    ],
)
def test_phone_numbers_in_the_persons_own_words_become_links(text, html):
    assert link_phone_numbers(text) == html


def test_the_plan_page_makes_the_persons_numbers_tappable_and_keeps_line_breaks(owner_client, user):
    SafetyPlan.objects.create(owner=user, other_services="My therapist: 020 7946 0000\nText SHOUT to 85258")
    html = owner_client.get(reverse("wellbeing:plan")).content.decode()
    assert '<a href="tel:02079460000">020 7946 0000</a><br><a href="sms:85258?body=SHOUT">' in html


# --- The installable app ------------------------------------------------------------------------


def test_the_service_worker_is_served_from_the_root_as_javascript(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]


def test_the_service_worker_keeps_only_public_files_itself(client, db):
    script = client.get("/sw.js").content.decode()
    public = re.search(r"const PUBLIC_FILES = \[(.*?)\];", script, re.S).group(1)
    kept = re.findall(r'"([^"]+)"', public)
    assert all(url.startswith("/static/") for url in kept)
    assert "OFFLINE_PAGE" in public
    assert f'"{reverse("account_logout")}"' in script
    assert f'"{reverse("privacy:delete_account")}"' in script


def test_the_manifest_makes_the_site_installable(client, db):
    response = client.get(reverse("dashboard:manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "SupportNet"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["purpose"] == "any"}
    assert sizes == {"192x192", "512x512"}


def test_every_page_links_the_manifest_and_the_csp_allows_the_worker(client, db):
    response = client.get(reverse("account_login"))
    assert f'<link rel="manifest" href="{reverse("dashboard:manifest")}">' in response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "worker-src 'self'" in policy
    assert "manifest-src 'self'" in policy


def test_the_offline_page_is_the_same_for_everyone_and_holds_nothing_private(owner_client, user):
    SupporterFactory(owner=user, name="Ana Lopez", is_crisis_contact=True)
    html = owner_client.get(reverse("dashboard:offline")).content.decode()
    assert "No connection right now" in html
    assert user.email not in html
    assert "Ana Lopez" not in html
    assert "supportnet-device-owner" not in html
    assert "Sign out" not in html


def test_signed_in_pages_name_whose_copy_the_device_may_keep_without_naming_the_person(
    owner_client, user, other_user
):
    html = owner_client.get(reverse("dashboard:crisis")).content.decode()
    owner = re.search(r'<meta name="supportnet-device-owner" content="(\w+)">', html).group(1)
    assert str(user.pk) != owner
    assert '<meta name="supportnet-offline-pages" content="/crisis/ /plan/">' in html
    owner_client.force_login(other_user)
    assert owner not in owner_client.get(reverse("dashboard:crisis")).content.decode()


def test_the_offline_choice_is_off_by_default_and_explained(owner_client):
    html = owner_client.get(reverse("dashboard:crisis")).content.decode()
    assert "data-offline-choice hidden" in html
    assert 'aria-pressed="false">Keep a copy on this device</button>' in html
    assert "Nothing else from your" in html


def test_signing_out_tells_the_browser_to_clear_what_the_site_kept(owner_client):
    assert "Clear-Site-Data" not in owner_client.get(reverse("dashboard:home"))
    response = owner_client.post(reverse("account_logout"))
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_deleting_the_account_tells_the_browser_to_clear_what_the_site_kept(client, db):
    person = UserFactory(email="leaving@example.com")
    client.force_login(person)
    html = client.get(reverse("privacy:delete_account")).content.decode()
    fields = dict(re.findall(r'name="(\w+)"[^>]*?(?:value="([^"]*)")?', html))
    fields.update({"password": "a calm long passphrase", "confirm": "on", "email": person.email})
    response = client.post(reverse("privacy:delete_account"), fields)
    assert not User.objects.filter(pk=person.pk).exists(), response.content.decode()[:2000]
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_the_crisis_page_costs_the_same_queries_for_few_and_many_contacts(
    owner_client, user, django_assert_num_queries
):
    def count():
        with django_assert_num_queries(4) as captured:
            owner_client.get(reverse("dashboard:crisis"))
        return len(captured)

    SupporterFactory(owner=user, is_crisis_contact=True, phone="1234567")
    ResourceFactory(country="")
    few = count()
    for _ in range(6):
        SupporterFactory(owner=user, is_crisis_contact=True, phone="1234567")
        ResourceFactory(country="")
    assert count() == few


def test_a_person_without_a_country_is_asked_for_it_where_the_number_would_be(owner_client, user):
    user.country = ""
    user.save()
    for url in (reverse("dashboard:home"), reverse("dashboard:crisis"), reverse("wellbeing:plan")):
        html = owner_client.get(url).content.decode()
        assert "button-emergency" not in html, url
        assert (
            f'<a href="{reverse("accounts:settings")}">Choose your country</a> to see its number here.'
            in html
        )
