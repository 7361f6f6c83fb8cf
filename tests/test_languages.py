"""Choosing the language: at sign-up from the browser, on the account page, a switch for signed-out
pages; the signed-in person's language wins over the browser's; the directory in several languages."""

import datetime
import importlib
import json
import re
from pathlib import Path

import polib
import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from resources.models import Kind, Resource, validate_translations
from tests.factories import CheckInFactory, SupporterFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "quiet harbour lanterns"


def translated(language, msgid, domain="django"):
    """What our catalog says for this English text; the tests follow the translators' words."""
    catalog = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.po"))
    entry = catalog.find(msgid)
    assert entry and entry.msgstr, f"{msgid!r} is not translated into {language} yet"
    return entry.msgstr


@pytest.fixture
def starter_set(db):
    """The data migration's entries (a test that empties tables may have run before this one)."""
    migration = importlib.import_module("resources.migrations.0005_starter_set_spain_mexico_india")
    migration.add_starter_set(django_apps, None)


def sign_up(client, **headers):
    data = {
        "email": "new@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "timezone": "Asia/Kolkata",
    }
    return client.post(reverse("account_signup"), data, **headers)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("hi-IN,hi;q=0.9,en;q=0.8", "hi"),
        ("es-MX,es;q=0.9", "es"),
        ("en-US,en;q=0.9", "en-gb"),
        ("fr-FR", "en-gb"),
    ],
)
def test_it_takes_the_language_at_sign_up_from_the_browser(client, accept_language, expected):
    assert sign_up(client, HTTP_ACCEPT_LANGUAGE=accept_language).status_code == 302
    assert User.objects.get(email="new@example.com").language == expected


@pytest.mark.django_db
def test_the_switch_wins_over_the_browser_at_sign_up(client):
    client.post(reverse("set_language"), {"language": "es", "next": reverse("account_signup")})
    sign_up(client, HTTP_ACCEPT_LANGUAGE="hi")
    assert User.objects.get(email="new@example.com").language == "es"


@pytest.mark.django_db
def test_signed_out_pages_follow_the_browser_and_offer_a_switch(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="hi,en;q=0.5")
    html = response.content.decode()
    assert response["Content-Language"] == "hi"
    assert "Accept-Language" in response["Vary"]
    assert '<html lang="hi">' in html
    assert translated("hi", "Need help now?") in html
    # The switch: a plain form posting to Django's set_language, every language named in its own words.
    assert f'action="{reverse("set_language")}" method="post"' in html
    for code, name in settings.LANGUAGES:
        assert f'value="{code}"' in html and name in html


@pytest.mark.django_db
def test_the_switch_works_without_javascript(client):
    response = client.post(
        reverse("set_language"),
        {"language": "es", "next": reverse("account_login")},
        HTTP_ACCEPT_LANGUAGE="hi",
    )
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert '<html lang="es">' in page
    assert translated("es", "Need help now?") in page


@pytest.mark.django_db
def test_the_switch_refuses_a_language_we_do_not_have_and_an_outside_address(client):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="hi")
    assert page["Content-Language"] == "hi"


@pytest.mark.django_db
def test_a_signed_in_person_sees_their_own_language_whatever_the_browser_asks(client):
    user = UserFactory(language="hi")
    client.force_login(user)
    response = client.get(reverse("dashboard:home"), HTTP_ACCEPT_LANGUAGE="es")
    assert response["Content-Language"] == "hi"
    assert translated("hi", "Need help now?") in response.content.decode()
    # The cookie follows, so the pages after signing out stay in Hindi.
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "hi"


@pytest.mark.django_db
def test_it_changes_the_language_on_the_account_page(owner_client, user):
    page = owner_client.get(reverse("accounts:settings")).content.decode()
    assert 'name="language"' in page
    response = owner_client.post(
        reverse("accounts:settings"), {"language": "es", "timezone": "Europe/London", "country": ""}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "es"
    assert '<html lang="es">' in owner_client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_it_refuses_an_unknown_language_on_the_account_page(owner_client, user):
    response = owner_client.post(
        reverse("accounts:settings"), {"language": "fr", "timezone": "Europe/London", "country": ""}
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    user.refresh_from_db()
    assert user.language == "en-gb"


@pytest.mark.django_db
def test_the_javascript_catalog_carries_our_strings_in_the_persons_language(client):
    client.force_login(UserFactory(language="hi"))
    response = client.get(reverse("javascript_catalog"))
    assert response.status_code == 200
    # As JSON, so Devanagari arrives as \\u escapes.
    assert (
        json.dumps(translated("hi", "Keep a copy on this device", domain="djangojs"))
        in response.content.decode()
    )
    # Loaded before our scripts, from our own origin (no inline script under the CSP).
    page = client.get(reverse("dashboard:home")).content.decode()
    assert page.index(f'<script src="{reverse("javascript_catalog")}" defer>') < page.index("js/crisis.js")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "name", "description"),
    [
        ("hi", "टेली मानस", "भारत की निःशुल्क राष्ट्रीय मानसिक स्वास्थ्य हेल्पलाइन"),
        ("es", "Tele MANAS (India)", "La línea nacional gratuita de salud mental de la India"),
        ("en-gb", "Tele MANAS", "free national mental health helpline, in many Indian languages"),
    ],
)
def test_the_directory_shows_an_entry_in_the_persons_language(
    client, starter_set, language, name, description
):
    client.force_login(UserFactory(language=language, country="IN"))
    html = client.get(reverse("resources:list")).content.decode()
    assert name in html and description in html


@pytest.mark.django_db
def test_the_starter_set_has_spanish_and_hindi_text_for_spain_mexico_and_india(starter_set):
    for country in ("ES", "MX", "IN"):
        lines = Resource.objects.filter(country=country, kind=Kind.CRISIS_LINE, is_published=True)
        assert lines
        for line in lines:
            for language in ("es", "hi"):
                assert line.translations[language]["name"] and line.translations[language]["description"]
                assert line.in_language("description", language) != line.description


def test_an_entry_falls_back_to_its_own_words_where_a_language_is_missing():
    resource = Resource(
        name="Samaritans", description="Someone to talk to.", translations={"es": {"name": "X"}}
    )
    assert resource.in_language("name", "es") == "X"
    assert resource.in_language("description", "es") == "Someone to talk to."
    assert resource.in_language("name", "hi") == "Samaritans"


@pytest.mark.parametrize(
    "translations",
    [
        [],
        {"fr": {"name": "x"}},
        {"en-gb": {"name": "x"}},
        {"es": "x"},
        {"es": {"phone": "1"}},
        {"es": {"name": 1}},
    ],
)
def test_the_translations_of_an_entry_must_be_known_languages_and_fields(translations):
    with pytest.raises(ValidationError):
        validate_translations(translations)


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "first_value"), [("en-gb", "0"), ("es", "0"), ("hi", "6")])
def test_the_reminder_days_start_the_week_where_the_language_does(client, language, first_value):
    """Monday first in British English and Spanish, Sunday first in Hindi (Django's format modules)."""
    client.force_login(UserFactory(language=language))
    html = client.get(reverse("accounts:settings")).content.decode()
    values = re.findall(r'name="reminder_weekdays" value="(\d)"', html)
    assert values[0] == first_value and sorted(values) == list("0123456")


@pytest.mark.django_db
def test_dates_follow_the_persons_language(client):
    user = UserFactory(language="hi", timezone="Asia/Kolkata")
    supporter = SupporterFactory(owner=user, name="Asha")
    CheckInFactory(
        owner=user, supporter=supporter, happened_at=datetime.datetime(2026, 11, 3, 10, tzinfo=datetime.UTC)
    )
    client.force_login(user)
    html = client.get(reverse("checkins:list")).content.decode()
    assert "मंगल 3 नव 2026" in html  # Tuesday 3 November, from Django's own Hindi catalog


@pytest.mark.django_db
def test_an_account_notice_is_written_in_the_persons_language_not_the_moderators(
    django_capture_on_commit_callbacks, mailoutbox
):
    from moderation.services import account_deactivate

    moderator = UserFactory(is_staff=True, is_superuser=True, language="en-gb")
    person = UserFactory(language="hi")
    with django_capture_on_commit_callbacks(execute=True):
        account_deactivate(actor=moderator, account=person, reason="Reports of spam")
    (message,) = mailoutbox
    assert message.body.startswith(translated("hi", "Hello,"))
    assert '<html lang="hi">' in message.alternatives[0][0]
    assert "Reports of spam" in message.body


@pytest.mark.django_db
def test_the_account_page_keeps_the_language_when_a_form_leaves_it_out(owner_client, user):
    user.language = "es"
    user.save(update_fields=["language"])
    response = owner_client.post(reverse("accounts:settings"), {"timezone": "Europe/Madrid", "country": ""})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.language, user.timezone) == ("es", "Europe/Madrid")
