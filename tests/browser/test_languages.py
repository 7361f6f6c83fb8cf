"""The main journey in Spanish and in Hindi, in real Chromium: no English words of ours on the way.

The browser asks for the language (Playwright's `locale` sets Accept-Language), sign-up stores it,
and then every page of the journey (sign up, the first dashboard, adding a supporter, logging a
check-in, the dashboard, the crisis page, the plan) is read as a person would see it: its text must
hold none of the English messages of our catalog that the translators have put in other words.
allauth's own pages bring allauth's strings, which come from allauth's translations.
"""

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.conftest import PASSWORD, SCREENS, assert_accessible, open_page, screenshot

# The smallest phones too: Devanagari and Spanish run longer than English.
SCREENS.setdefault("narrow", {"width": 320, "height": 640})

ROOT = Path(__file__).resolve().parent.parent.parent
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
TAG = re.compile(r"<[^>]+>")


def english_phrases(language):
    """The English of every message the language's catalog translates differently, as page text
    shows it: markup dropped, split at placeholders. A whole message counts from two words, a piece
    between placeholders from three (a single word, such as a name, may rightly stay the same)."""
    catalog = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    phrases = set()
    for entry in catalog:
        if entry.obsolete:
            continue
        forms = (
            [(entry.msgid, entry.msgstr)]
            if not entry.msgid_plural
            else [
                (entry.msgid, entry.msgstr_plural.get(0, "")),
                (entry.msgid_plural, entry.msgstr_plural.get(1, "")),
            ]
        )
        for english, translated in forms:
            if english == translated:
                continue
            pieces = PLACEHOLDER.split(TAG.sub("", english))
            for piece in pieces:
                piece = " ".join(piece.split()).strip(" .,:;()")
                if len(piece.split()) >= (2 if len(pieces) == 1 else 3):
                    phrases.add(piece)
    return phrases


def others_english():
    """English sentences of allauth's and Django's catalogs, which come from their own translations
    (Hindi has none in allauth): taken out of the page text first, so that "Your password" of ours
    is not found in Django's "Your password must contain at least 10 characters."."""
    import allauth
    import django

    sentences = set()
    for package, app in [(allauth, ""), (django, "contrib/auth/"), (django, "conf/")]:
        path = Path(package.__file__).parent / app / "locale" / "en" / "LC_MESSAGES" / "django.po"
        for entry in polib.pofile(str(path)):
            for english in (entry.msgid, entry.msgid_plural):
                for piece in PLACEHOLDER.split(TAG.sub("", english or "")):
                    if len(piece.split()) >= 3:
                        sentences.add(" ".join(piece.split()))
    return sorted(sentences, key=len, reverse=True)


OTHERS_ENGLISH = others_english()


def english_left_on(page, phrases):
    text = " ".join(page.locator("body").inner_text().split())
    for sentence in OTHERS_ENGLISH:
        text = text.replace(sentence, " ")
    return sorted(phrase for phrase in phrases if phrase in text)


def confirmation_path(message):
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", body).group(1)


@pytest.fixture
def tab_in(chromium, live_server):
    contexts = []

    def tab_in(language, screen="phone"):
        context = chromium.new_context(viewport=SCREENS[screen], base_url=live_server.url, locale=language)
        contexts.append(context)
        return open_page(context)

    yield tab_in
    for context in contexts:
        context.close()


@pytest.mark.parametrize("language", ["es", "hi"])
def test_the_main_journey_has_no_english_of_ours_left(tab_in, inbox, language):
    phrases = english_phrases(language)
    page = tab_in(language)
    seen = {}

    def read(name):
        expect(page.locator("html")).to_have_attribute("lang", language)
        seen[name] = english_left_on(page, phrases)
        assert_accessible(page)
        screenshot(page, f"{language}-{name}", screens=("narrow", "phone", "laptop"))

    # Sign up: the page follows the browser's language, and so does the new account.
    page.goto(reverse("account_signup"))
    read("sign-up")
    page.locator("input[name=email]").fill(f"{language}@example.com")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("select[name=timezone]").select_option(
        "Asia/Kolkata" if language == "hi" else "Europe/Madrid"
    )
    page.locator("main form [type=submit]").first.click()
    (message,) = inbox.wait_for(1)
    page.goto(confirmation_path(message))
    page.locator("main form [type=submit]").first.click()
    page.wait_for_url(re.compile(r"/$"))
    assert User.objects.get(email=f"{language}@example.com").language == language
    read("dashboard-first-visit")

    # Add a supporter who can be reached in a crisis.
    page.goto(reverse("contacts:add"))
    read("add-supporter")
    page.locator("input[name=name]").fill("Asha Rao")
    page.locator("input[name=support_types][value=emotional]").check()
    page.locator("input[name=circle][value=inner]").check()
    page.locator("input[name=is_crisis_contact]").check()
    page.locator("input[name=phone]").fill("+91 98200 12345")
    page.locator("main form.supporter-form [type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Asha Rao")
    read("supporter")

    # Log a check-in with her.
    page.goto(reverse("checkins:log"))
    read("log-check-in")
    page.locator("input[name=supporter]").first.check()  # the picker lists her, the only one
    page.locator("main form [type=submit].button-primary").click()
    page.wait_for_url(re.compile(r"/check-ins/$"))
    read("check-ins")

    page.goto(reverse("dashboard:home"))
    read("dashboard")
    page.goto(reverse("dashboard:crisis"))
    read("crisis")
    page.goto(reverse("wellbeing:plan"))
    read("plan")
    page.goto(reverse("wellbeing:plan_edit"))
    read("plan-edit")

    left = {name: found for name, found in seen.items() if found}
    assert not left, f"English left on the {language} pages: {left}"
