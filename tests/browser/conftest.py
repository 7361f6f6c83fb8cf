"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright's sync API against pytest-django's
live server. Every browser test uses the plumbing here: one Chromium per test file (`chromium`),
tabs on the live server (`site`, `laptop`, `open_tab`, signed in with `open_tab(user=...)` or through
the sign-in form with `sign_in`), `assert_accessible` (axe-core and the Content-Security-Policy) and
`screenshot`.

Screenshots go to var/screenshots/ (named page-WIDTHxHEIGHT.png) so a person can look at them.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; the tests still use the ORM directly.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
SCREENS = {
    "phone": {"width": 375, "height": 812},
    "laptop": {"width": 1280, "height": 800},
    "small-phone": {"width": 320, "height": 640},
}
PASSWORD = "quiet harbour lanterns"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def chromium():
    """Chromium for one test file, stopped after it.

    The only way the tests start a browser. (A session-wide Playwright, as pytest-playwright's, would
    stay running to the end of the session, and no other `sync_playwright()` can start beside it.)
    """
    if not Path(CHROMIUM).exists():
        pytest.exit(f"Chromium is not installed at {CHROMIUM}: apt-get install -y chromium", 3)
    if not AXE.exists():
        pytest.exit(f"axe-core is missing at {AXE}: run `npm ci`", 3)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def open_page(context):
    """A new tab in `context` that keeps what the Content-Security-Policy blocked in `page.csp_violations`."""
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_violations.append(message.text)
        ),
    )
    return page


@pytest.fixture
def open_tab(chromium, live_server):
    """`open_tab(screen="laptop", user=None)`: a tab of its own (a new browser context) on the live
    server, already signed in as `user` when given: the Django test client signs in and the tab gets its
    session cookie, without going through the sign-in form (`sign_in` does that). Other keywords go to
    Playwright's `new_context` (e.g. `color_scheme="dark"`, `java_script_enabled=False`)."""
    contexts = []

    def open_tab(screen="laptop", user=None, **context_options):
        context = chromium.new_context(viewport=SCREENS[screen], base_url=live_server.url, **context_options)
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return open_page(context)

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture(params=["phone", "laptop"])
def screen(request):
    return request.param


@pytest.fixture
def site(open_tab, screen):
    """A browser tab on the live server, at the size of a phone or a laptop."""
    return open_tab(screen)


@pytest.fixture
def laptop(open_tab):
    return open_tab("laptop")


def screenshot_path(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    return SCREENSHOTS / f"{name}-{size['width']}x{size['height']}.png"


def screenshot(page, name, screens=()):
    """Save the whole page as var/screenshots/<name>-<width>x<height>.png: at its size, or at each of
    `screens` (names in SCREENS) in turn, the page going back to its own size afterwards."""
    if not screens:
        path = screenshot_path(page, name)
        page.screenshot(path=str(path), full_page=True)
        return path
    size = page.viewport_size
    paths = []
    for each in screens:
        page.set_viewport_size(SCREENS[each])
        paths.append(screenshot(page, name))
    page.set_viewport_size(size)
    return paths


SERIOUS = ("serious", "critical")
EVERY_IMPACT = ("minor", "moderate", "serious", "critical")


def assert_accessible(page, impacts=SERIOUS):
    """Run axe-core in the page and fail on any violation of one of `impacts` (serious or critical unless
    told otherwise).

    axe is evaluated through the DevTools protocol: an injected <script> tag would break our strict CSP.
    The page must also have run without the browser blocking anything under that CSP.
    """
    assert not page.csp_violations, page.csp_violations
    page.evaluate(AXE.read_text())
    violations = page.evaluate("async () => (await axe.run()).violations")
    found = [violation for violation in violations if violation["impact"] in impacts]
    assert not found, "\n".join(
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(node["html"][:120] for node in violation["nodes"][:3])
        for violation in found
    )


def tab_to(page, selector, presses=150):
    """Press Tab until the focused element matches `selector`, as a keyboard-only person would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def sign_in(page, email, password=PASSWORD, *, start="/accounts/login/", lands_on=re.compile(r"/$")):
    """Sign in through the site's sign-in form (reached from `start`) and wait to land on `lands_on`."""
    page.goto(start)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("main").get_by_role("button", name=re.compile("Sign in", re.I)).click()
    page.wait_for_url(lands_on)


def open_menu(page):
    """On a phone the menu's less used links sit under "More" (a <details>): open it when it is shown."""
    more = page.locator(".nav-more summary")
    if more.is_visible() and not page.locator(".nav-more").evaluate("details => details.open"):
        more.click()


def sign_out(page):
    open_menu(page)
    page.locator("nav").get_by_role("button", name="Sign out").click()
