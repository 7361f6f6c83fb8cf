"""Crisis help in real Chromium: the header's crisis control stays in reach on every main page at
320, 375 and 1280 px and one tap leads to the emergency number; the app installs; with the person's
consent the crisis page and plan open with no network, and after sign-out they do not."""

import io
import re

import pytest
from django.test import Client
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from contacts.models import Circle
from tests.browser.conftest import EVERY_IMPACT, assert_accessible, open_page, screenshot, screenshot_path
from tests.factories import ResourceFactory, SupporterFactory
from wellbeing.models import SafetyPlan

WIDTHS = {
    "320": {"width": 320, "height": 640},
    "375": {"width": 375, "height": 812},
    "1280": {"width": 1280, "height": 800},
}
MAIN_PAGES = [
    "/",
    "/supporters/",
    "/supporters/new/",
    "/supporters/{maya}/",
    "/check-ins/",
    "/check-ins/new/",
    "/plan/",
    "/plan/edit/",
    "/self-check/",
    "/resources/",
    "/accounts/settings/",
    "/crisis/",
]


@pytest.fixture
def person(user):
    """Someone in the UK with a crisis contact, a plan and the country's crisis lines."""
    user.country = "GB"
    user.save()
    maya = SupporterFactory(
        owner=user, name="Maya Patel", circle=Circle.INNER, is_crisis_contact=True, phone="+44 7700 900123"
    )
    SafetyPlan.objects.create(owner=user, warning_signs="Not sleeping", other_services="My GP: 020 7946 0000")
    ResourceFactory(name="Samaritans", country="GB", phone="116 123", website="https://www.samaritans.org")
    ResourceFactory(
        name="Shout", country="GB", phone="Text SHOUT to 85258", website="https://giveusashout.org"
    )
    user.maya = maya.id
    return user


@pytest.fixture
def tab(chromium, live_server):
    """`tab(width, user=None, **context_options)`: a tab at a width, signed in as `user` when given."""
    contexts = []

    def tab(width, user=None, **options):
        context = chromium.new_context(viewport=WIDTHS[width], base_url=live_server.url, **options)
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies["sessionid"]
            context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return open_page(context)

    yield tab
    for context in contexts:
        context.close()


def box_of(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_crisis_control_is_in_reach_at_the_bottom_of_every_main_page(tab, person, width):
    page = tab(width, person)
    viewport = page.viewport_size
    for path in MAIN_PAGES:
        page.goto(path.format(maya=person.maya))
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_function("window.scrollY + innerHeight >= document.documentElement.scrollHeight - 2")
        control = page.locator(".crisis-control")
        expect(control).to_be_in_viewport(ratio=1)
        box = control.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (path, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (path, box)
        # Nothing of the page sits under it: what is drawn at its middle is the control itself.
        on_top = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('.crisis-control') !== null",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert on_top, path
        # At the very bottom the page's last lines are below the header, not under it.
        footer = box_of(page, ".site-footer")
        assert footer["y"] >= box["y"] + box["height"], path
        # No page scrolls sideways at this width because of the header.
        assert page.evaluate("document.querySelector('.header-row').scrollWidth <= innerWidth"), path
        # What the person sees there (the screen, not the whole page).
        name = re.sub(r"\W+", "-", path.format(maya="person").strip("/")) or "dashboard"
        page.screenshot(path=str(screenshot_path(page, f"reach-bottom-{name}")))


@pytest.mark.parametrize("width", WIDTHS)
def test_one_tap_on_the_crisis_control_reaches_the_emergency_numbers_call_button(tab, person, width):
    page = tab(width, person)
    page.goto("/supporters/")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.locator(".crisis-control").click()
    page.wait_for_url(re.compile(r"/crisis/$"))
    call = page.get_by_role("link", name="Call 999")
    expect(call).to_have_attribute("href", "tel:999")
    expect(call).to_be_in_viewport(ratio=1)
    box = call.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 150
    expect(page.get_by_role("link", name="Call +44 7700 900123")).to_be_visible()
    expect(page.get_by_role("link", name="Text SHOUT to 85258")).to_have_attribute(
        "href", "sms:85258?body=SHOUT"
    )
    screenshot(page, "crisis-page")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "path", ["/crisis/", "/plan/", "/offline/", "/accounts/signup/", "/crisis/?country=US"]
)
def test_the_crisis_pages_have_no_accessibility_problems_of_any_impact(tab, person, width, path):
    signed_in = path in ("/crisis/", "/plan/")
    page = tab(width, person if signed_in else None)
    page.goto(path)
    assert_accessible(page, impacts=EVERY_IMPACT)
    name = re.sub(r"\W+", "-", path.strip("/")) + ("-signed-in" if signed_in else "")
    screenshot(page, f"crisis-a11y-{name}")


@pytest.mark.parametrize(("zone", "country"), [("America/New_York", "US"), ("Europe/London", "GB")])
def test_sign_up_preselects_the_country_of_the_browsers_time_zone(tab, db, zone, country):
    page = tab("375", timezone_id=zone)
    page.goto("/accounts/signup/")
    expect(page.get_by_label("Your country")).to_have_value(country)
    expect(page.get_by_label("Your time zone")).to_have_value(zone)


def controlled_by_the_worker(page):
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()
    return page.evaluate("navigator.serviceWorker.controller && navigator.serviceWorker.controller.scriptURL")


def test_the_app_is_installable(tab, person, live_server):
    page = tab("375", person)
    page.goto("/")
    manifest_url = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = page.request.get(manifest_url).json()
    assert manifest["name"] and manifest["short_name"]
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    sizes = set()
    for icon in manifest["icons"]:
        response = page.request.get(icon["src"])
        assert response.ok and response.headers["content-type"] == "image/png"
        image = Image.open(io.BytesIO(response.body()))
        assert f"{image.width}x{image.height}" == icon["sizes"]
        sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes
    assert controlled_by_the_worker(page) == f"{live_server.url}/sw.js"
    assert not page.csp_violations


def keep_a_copy(page):
    page.goto("/crisis/")
    assert controlled_by_the_worker(page)
    button = page.get_by_role("button", name="Keep a copy on this device")
    button.click()
    expect(page.get_by_role("status").filter(has_text="Kept")).to_be_visible()
    expect(page.get_by_role("button", name="Remove the copy from this device")).to_be_visible()


def test_nothing_is_kept_for_offline_until_the_person_asks(tab, person):
    page = tab("375", person)
    page.goto("/crisis/")
    assert controlled_by_the_worker(page)
    page.goto("/plan/")
    page.context.set_offline(True)
    page.goto("/crisis/")
    expect(page.get_by_role("heading", name="No connection right now")).to_be_visible()
    expect(page.get_by_text("Maya Patel")).to_have_count(0)


def test_after_opting_in_the_crisis_page_and_plan_open_offline_and_nothing_else_private(tab, person):
    page = tab("375", person)
    keep_a_copy(page)
    page.context.set_offline(True)
    page.goto("/crisis/")
    expect(page.locator("strong", has_text="Maya Patel")).to_be_visible()
    expect(page.get_by_role("link", name="Call 999")).to_be_visible()
    expect(page.get_by_role("link", name="Call 116 123")).to_be_visible()
    # The stylesheets came from the worker's public cache too.
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).position") == "sticky"
    screenshot(page, "crisis-offline")
    page.goto("/plan/")
    expect(page.get_by_text("Not sleeping")).to_be_visible()
    expect(page.get_by_role("link", name="020 7946 0000")).to_have_attribute("href", "tel:02079460000")
    screenshot(page, "plan-offline")
    for private in ("/", "/supporters/", f"/supporters/{person.maya}/", "/check-ins/"):
        page.goto(private)
        expect(page.get_by_role("heading", name="No connection right now")).to_be_visible()
    screenshot(page, "offline-page")


def offline_page_or_nothing(page, path):
    """What opens at `path` offline: the page's text, or "" when the browser has nothing to show."""
    try:
        page.goto(path)
    except PlaywrightError:
        return ""
    return page.locator("main").inner_text()


def test_after_sign_out_the_kept_copy_is_gone(tab, person):
    page = tab("1280", person)
    keep_a_copy(page)
    page.goto("/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    page.context.set_offline(True)
    for path in ("/crisis/", "/plan/"):
        text = offline_page_or_nothing(page, path)
        assert "Maya Patel" not in text and "Not sleeping" not in text, path
    page.context.set_offline(False)
    page.goto("/crisis/")
    assert page.evaluate("caches.has('supportnet-private')") is False


def test_another_person_signing_in_on_the_same_browser_does_not_see_the_kept_copy(
    tab, person, other_user, live_server
):
    page = tab("375", person)
    keep_a_copy(page)
    client = Client()
    client.force_login(other_user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page.goto("/resources/")
    page.wait_for_function("caches.has('supportnet-private').then((kept) => !kept)")
    page.context.set_offline(True)
    assert "Maya Patel" not in offline_page_or_nothing(page, "/crisis/")


def test_the_kept_copy_follows_changes_to_the_plan_on_the_next_visit(tab, person):
    page = tab("375", person)
    keep_a_copy(page)
    SafetyPlan.objects.filter(owner=person).update(warning_signs="Skipping meals")
    page.goto("/plan/")
    page.context.set_offline(True)
    page.goto("/plan/")
    expect(page.get_by_text("Skipping meals")).to_be_visible()
