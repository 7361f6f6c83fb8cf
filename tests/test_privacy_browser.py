"""Your data pages in real Chromium at phone and desktop widths: import with preview, calendar feed,
delete account; each checked with axe-core under the real CSP."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from accounts.models import User
from contacts.models import Supporter
from tests.factories import SupporterFactory
from tests.test_two_factor import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VCARDS = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jo Bloggs\r\nEMAIL:jo@example.com\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sam Doe\r\nTEL:07700 900456\r\nEND:VCARD\r\n"
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
        yield browser
        browser.close()


def signed_in_page(chromium, client, live_server, user, width):
    client.force_login(user)
    context = chromium.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


def serious_violations(page):
    page.evaluate((ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text())
    violations = page.evaluate("async () => (await axe.run()).violations")
    return [(v["id"], len(v["nodes"])) for v in violations if v["impact"] in ("serious", "critical")]


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [375, 1280])
def test_it_imports_from_a_file_with_a_preview_in_a_real_browser(chromium, client, live_server, user, width):
    SupporterFactory(owner=user, name="Jo Bloggs")
    page = signed_in_page(chromium, client, live_server, user, width)
    page.goto(live_server.url + "/accounts/settings/")
    page.click("text=Import supporters")
    assert serious_violations(page) == []
    page.set_input_files(
        "input[type=file]", {"name": "phone.vcf", "mimeType": "text/vcard", "buffer": VCARDS}
    )
    page.click("text=Upload and preview")
    assert "Looks like a duplicate: same name as Jo Bloggs" in page.content()
    assert serious_violations(page) == []
    assert fits_the_screen(page)
    page.check("input[name=support_types][value=peer]")
    page.click("text=Add these people")
    page.wait_for_url(live_server.url + "/supporters/")
    assert "1 person added to your support network." in page.content()
    assert sorted(Supporter.objects.for_owner(user).values_list("name", flat=True)) == [
        "Jo Bloggs",
        "Sam Doe",
    ]


@pytest.mark.parametrize("width", [375, 1280])
def test_it_turns_the_calendar_feed_on_in_a_real_browser(chromium, client, live_server, user, width):
    page = signed_in_page(chromium, client, live_server, user, width)
    page.goto(live_server.url + "/privacy/calendar/")
    page.click("text=Turn on the calendar feed")
    address = page.input_value("#feed-url")
    assert "/privacy/calendar/" in address and address.endswith(".ics")
    assert serious_violations(page) == []
    assert fits_the_screen(page)


@pytest.mark.parametrize("width", [375, 1280])
def test_it_deletes_the_account_in_a_real_browser(chromium, client, live_server, user, width):
    page = signed_in_page(chromium, client, live_server, user, width)
    page.goto(live_server.url + "/privacy/delete-account/")
    page.fill("input[name=password]", "not it")
    page.click("text=Delete my account and everything in it")
    assert "That password is not right." in page.content()
    assert serious_violations(page) == []
    assert fits_the_screen(page)
    page.fill("input[name=password]", PASSWORD)
    page.click("text=Delete my account and everything in it")
    assert "Your account is deleted" in page.content()
    assert not User.objects.filter(pk=user.pk).exists()
