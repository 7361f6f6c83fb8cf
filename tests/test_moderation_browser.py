"""The moderator's story in real Chromium: sign in through the site's sign-in, deactivate and
reactivate an account with a reason, add a crisis line and see it on a person's crisis page; then
the directory and the crisis page pass axe at phone and laptop widths.

Screenshots land in var/screenshots/. Fixtures stay in this file so they never clash with the
shared browser conftest.
"""

import os
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from accounts.models import User
from moderation.models import AccountAction
from resources.models import Resource
from tests.factories import ResourceFactory, SupporterFactory, UserFactory
from tests.test_moderation import current_code

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WIDTHS = {"phone": 375, "laptop": 1280}
MODERATOR_PASSWORD = "the moderator's own passphrase"

pytestmark = pytest.mark.browser


LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def own_page():
    """A Chromium page of our own, closed after the test. (Asking for pytest-playwright's `page` would
    start its session-wide browser early and keep an event loop running that other files'
    `sync_playwright()` trips over.)"""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
        yield browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        browser.close()


def sign_in(page, base, email, password, next_url):
    page.goto(f"{base}{next_url}")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button[type=submit]")


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SCREENSHOTS / f"moderation-{name}-{label}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def axe_violations(page):
    # Evaluated through the DevTools protocol: an injected <script> tag would break our strict CSP.
    page.evaluate((Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js").read_text())
    return page.evaluate("async () => (await axe.run()).violations")


def test_it_runs_the_moderator_story_in_a_browser(live_server, own_page, transactional_db, monkeypatch):
    page = own_page
    base = live_server.url
    blocked = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )
    person = UserFactory(email="person@example.com", country="IE")
    SupporterFactory(owner=person, name="Private Person", notes="PRIVATE NOTE")
    monkeypatch.setenv("MODERATOR_PASSWORD", MODERATOR_PASSWORD)
    call_command("create_moderator", "mod@example.com", "--no-input")
    secret = generate_totp_secret()
    TOTP.activate(User.objects.get(email="mod@example.com"), secret)

    sign_in(page, base, "mod@example.com", MODERATOR_PASSWORD, "/admin/")
    assert "/accounts/2fa/authenticate/" in page.url
    page.fill("input[name=code]", current_code(secret))
    submit(page, "button[type=submit]")
    assert page.url == f"{base}/admin/"
    shoot(page, "admin-index")

    page.goto(f"{base}/admin/accounts/user/?q=person")
    shoot(page, "admin-users")
    submit(page, "text=person@example.com")
    assert "PRIVATE" not in page.content()
    assert "Private Person" not in page.content()
    shoot(page, "admin-user")
    submit(page, "text=Deactivate account")
    submit(page, "input[type=submit]")
    assert "Please give a reason" in page.content()
    page.fill("textarea[name=reason]", "Checking the moderation tools; back in a minute.")
    submit(page, "input[type=submit]")
    assert "deactivated" in page.locator(".messagelist").inner_text()
    assert not User.objects.get(email="person@example.com").is_active
    submit(page, "text=Reactivate account")
    page.fill("textarea[name=reason]", "Check finished.")
    submit(page, "input[type=submit]")
    assert User.objects.get(email="person@example.com").is_active
    assert AccountAction.objects.count() == 2

    page.goto(f"{base}/admin/resources/resource/add/")
    page.fill("input[name=name]", "Browser Test Line")
    page.select_option("select[name=kind]", "crisis_line")
    page.check("input[name=gives_emotional]")
    page.select_option("select[name=country]", "IE")
    page.fill("input[name=phone]", "1800 000 000")
    page.check("input[name=is_published]")
    submit(page, "input[name=_save]")
    assert Resource.objects.filter(name="Browser Test Line", is_published=True).exists()
    shoot(page, "admin-resources")

    page.goto(f"{base}/admin/moderation/sitefigures/")
    assert "People with at least one supporter" in page.content()
    shoot(page, "admin-figures")
    for url in ["/admin/contacts/supporter/", "/admin/checkins/checkin/", "/admin/moderation/accountaction/"]:
        assert page.goto(f"{base}{url}").status in (403, 404), url

    person_page = page.context.browser.new_context().new_page()
    sign_in(person_page, base, "person@example.com", "a calm long passphrase", "/accounts/login/")
    person_page.goto(f"{base}/crisis/")
    assert "Browser Test Line" in person_page.content()
    assert person_page.locator("a[href='tel:1800000000']").count() == 1
    assert blocked == [], "nothing on these pages breaks the Content-Security-Policy"


@pytest.mark.parametrize("path", ["/resources/", "/resources/?type=peer", "/crisis/"])
def test_it_keeps_the_directory_accessible(live_server, own_page, transactional_db, path):
    page = own_page
    ResourceFactory(name="Listening Line", country="", opening_hours="24 hours, every day")
    ResourceFactory(name="Peer Circle", country="", kind="peer_group", gives_emotional=False, gives_peer=True)
    page.goto(f"{live_server.url}{path}")
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        violations = axe_violations(page)
        assert violations == [], f"{label}: {[(v['id'], v['impact']) for v in violations]}"
    name = path.strip("/").replace("/?type=", "-")
    shoot(page, name)
