"""Your data pages in real Chromium at phone and desktop widths: import with preview, calendar feed,
delete account; each checked with axe-core under the real CSP."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from contacts.models import Supporter
from tests.browser.conftest import assert_accessible, screenshot
from tests.factories import SupporterFactory
from tests.test_two_factor import PASSWORD

VCARDS = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jo Bloggs\r\nEMAIL:jo@example.com\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sam Doe\r\nTEL:07700 900456\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken Phone\r\nTEL:call me maybe\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nNICKNAME:Birdie\r\nEND:VCARD\r\n"
)

pytestmark = pytest.mark.django_db(transaction=True)


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_it_imports_from_a_file_with_a_preview_in_a_real_browser(open_tab, live_server, user, screen):
    SupporterFactory(owner=user, name="Jo Bloggs")
    page = open_tab(screen, user=user)
    page.goto("/accounts/settings/")
    page.click("text=Import supporters")
    assert_accessible(page)
    page.set_input_files(
        "input[type=file]", {"name": "phone.vcf", "mimeType": "text/vcard", "buffer": VCARDS}
    )
    page.click("text=Upload and preview")
    content = page.content()
    assert "Looks like a duplicate: same name as Jo Bloggs" in content
    assert "Card 3 (line 11)" in content and "doesn't look like a phone number" in content
    assert "named “Birdie” from its nickname" in content
    assert_accessible(page)
    assert fits_the_screen(page)
    screenshot(page, "import-preview")
    if screen == "phone":
        page.set_viewport_size({"width": 320, "height": 700})
        assert fits_the_screen(page)
        screenshot(page, "import-preview")
    with page.expect_download() as download:
        page.click("text=Download the 1 to fix")
    assert b"call me maybe" in Path(download.value.path()).read_bytes()
    page.check("input[name=support_types][value=peer]")
    page.click("text=Add the people who are ready")
    page.wait_for_url(live_server.url + "/supporters/")
    assert "2 people added to your support network. 1 with a problem was left out." in page.content()
    assert sorted(Supporter.objects.for_owner(user).values_list("name", flat=True)) == [
        "Birdie",
        "Jo Bloggs",
        "Sam Doe",
    ]


def test_it_turns_the_calendar_feed_on_in_a_real_browser(open_tab, user, screen):
    page = open_tab(screen, user=user)
    page.goto("/privacy/calendar/")
    page.click("text=Turn on the calendar feed")
    address = page.input_value("#feed-url")
    assert "/privacy/calendar/" in address and address.endswith(".ics")
    assert_accessible(page)
    assert fits_the_screen(page)


def test_it_deletes_the_account_in_a_real_browser(open_tab, user, screen):
    page = open_tab(screen, user=user)
    page.goto("/privacy/delete-account/")
    page.fill("input[name=password]", "not it")
    page.click("text=Delete my account and everything in it")
    expect(page.get_by_text("That password is not right.")).to_be_visible()
    assert_accessible(page)
    assert fits_the_screen(page)
    page.fill("input[name=password]", PASSWORD)
    page.click("text=Delete my account and everything in it")
    expect(page.get_by_text("Your account is deleted")).to_be_visible()
    assert not User.objects.filter(pk=user.pk).exists()
