"""Check-in pages in real Chromium, at phone and desktop widths, checked with axe-core."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import sync_playwright

from checkins.models import CheckIn
from checkins.services import check_in_log
from tests.checkins_helpers import make_supporter

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
    # Evaluated through DevTools, so the page's strict CSP (no inline scripts) stays on.
    page.evaluate((ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text())
    violations = page.evaluate("async () => (await axe.run()).violations")
    return [(v["id"], len(v["nodes"])) for v in violations if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("width", [375, 1280])
def test_it_logs_a_check_in_in_a_real_browser_without_accessibility_problems(
    chromium, client, live_server, user, width
):
    supporter = make_supporter(user, name="Maya Okafor", added_at=timezone.now() - datetime.timedelta(days=9))
    check_in_log(
        owner=user,
        supporter=supporter,
        happened_at=timezone.now() - datetime.timedelta(days=8),
        channel="call",
        initiated_by="me",
        mood=4,
        note="Laughed a lot.",
    )
    page = signed_in_page(chromium, client, live_server, user, width)
    for path in ("/check-ins/", "/check-ins/?channel=call", "/check-ins/new/", "/accounts/settings/"):
        page.goto(live_server.url + path)
        assert serious_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path

    page.goto(live_server.url + "/check-ins/new/")
    page.select_option("select[name=supporter]", label="Maya Okafor (friend)")
    page.select_option("select[name=channel]", label="Message")
    page.fill("textarea[name=note]", "A quick hello.")
    page.click("form.card button[type=submit]")
    page.wait_for_url(live_server.url + "/check-ins/")
    assert "good that you connected with Maya Okafor" in page.content()
    # Notes are encrypted at rest, so they cannot be filtered on: read the check-in back instead.
    assert [check_in.note for check_in in CheckIn.objects.filter(channel="message")] == ["A quick hello."]
