"""Check-in pages in real Chromium, at phone and desktop widths, checked with axe-core."""

import datetime

import pytest
from django.utils import timezone

from checkins.models import CheckIn
from checkins.services.check_ins import check_in_log
from tests.browser.conftest import assert_accessible
from tests.checkins_helpers import make_supporter

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_logs_a_check_in_in_a_real_browser_without_accessibility_problems(
    open_tab, live_server, user, screen
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
    page = open_tab(screen, user=user)
    width = page.viewport_size["width"]
    for path in ("/check-ins/", "/check-ins/?channel=call", "/check-ins/new/", "/accounts/settings/"):
        page.goto(path)
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path

    page.goto("/check-ins/new/")
    page.get_by_label("Maya Okafor (friend)").check()
    page.select_option("select[name=channel]", label="Message")
    page.fill("textarea[name=note]", "A quick hello.")
    page.get_by_role("button", name="Log check-in").click()
    page.wait_for_url(live_server.url + "/check-ins/")
    assert "good that you connected with Maya Okafor" in page.content()
    # Notes are encrypted at rest, so they cannot be filtered on: read the check-in back instead.
    assert [check_in.note for check_in in CheckIn.objects.filter(channel="message")] == ["A quick hello."]
