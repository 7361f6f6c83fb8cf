"""A network of 300 people in a real browser: the pages summarise and page rather than list everyone,
stay accessible at phone and laptop widths, and a check-in with someone not offered at first is found
by name and logged, all without JavaScript."""

import datetime

import pytest
from django.utils import timezone

from checkins.models import CheckIn
from checkins.services.check_ins import supporters_due_recompute
from contacts.models import Circle, Supporter
from core.support_types import SupportType
from tests.browser.conftest import EVERY_IMPACT, assert_accessible, screenshot
from tests.factories import SupporterFactory, UserFactory

WIDTHS = (320, 375, 1280)


@pytest.fixture
def big_network(db):
    owner = UserFactory()
    kinds = list(SupportType)
    long_ago = timezone.now() - datetime.timedelta(days=90)
    Supporter.objects.bulk_create(
        SupporterFactory.build(
            owner=owner,
            name=f"Person {index:03d}",
            circle=list(Circle)[index % 3],
            is_crisis_contact=index % 30 == 0,
            phone="07700 900123",
            last_check_in_at=long_ago + datetime.timedelta(days=index % 80),
            **{f"gives_{kind.value}": kind == kinds[index % len(kinds)] for kind in kinds},
        )
        for index in range(300)
    )
    supporters_due_recompute(user=owner)
    return owner


@pytest.mark.parametrize("path", ["/", "/supporters/", "/check-ins/new/"])
def test_the_pages_of_a_big_network_are_accessible_at_every_width(open_tab, big_network, path):
    page = open_tab("laptop", user=big_network)
    page.goto(path)
    name = {"/": "large-dashboard", "/supporters/": "large-supporters", "/check-ins/new/": "large-check-in"}[
        path
    ]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, name)
    assert_accessible(page, impacts=EVERY_IMPACT)


def test_it_finds_someone_by_name_and_logs_a_check_in_without_javascript(chromium, live_server, big_network):
    from django.conf import settings
    from django.test import Client

    context = chromium.new_context(java_script_enabled=False, base_url=live_server.url)
    client = Client()
    client.force_login(big_network)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.goto("/check-ins/new/")
    assert page.locator('input[name="supporter"]').count() <= 8
    assert page.get_by_label("Person 299").count() == 0
    page.get_by_label("Not in the list below? Find someone by name").fill("person 299")
    page.get_by_role("button", name="Find").click()
    page.get_by_label("Person 299").check()
    page.get_by_role("button", name="Log check-in").click()
    assert CheckIn.objects.get().supporter.name == "Person 299"
    context.close()
