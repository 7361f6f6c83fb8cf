"""Notifications on your devices, in real Chromium: the account page lists them and reads well."""

import datetime

from push.models import PushSubscription
from tests.browser.conftest import assert_accessible, screenshot, sign_in

NOW = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)


def device(user, name, index):
    return PushSubscription.objects.create(
        user=user,
        endpoint=f"https://push.example/{index}",
        endpoint_digest=f"{index:064d}",
        p256dh="key",
        auth="secret",
        device_name=name,
        created_at=NOW,
        last_success_at=NOW if index else None,
    )


def test_the_account_page_lists_devices_and_fits_the_smallest_phone(laptop, user):
    device(user, "Chrome on Android", 0)
    device(user, "Samsung Internet on Android", 1)
    sign_in(laptop, user.email, "a calm long passphrase")
    laptop.goto("/accounts/settings/#devices")
    section = laptop.locator("#devices")
    assert section.locator("strong", has_text="Samsung Internet on Android").is_visible()
    assert section.get_by_text("No reminder yet.").is_visible()
    assert_accessible(laptop)
    for width, height in [(320, 700), (375, 812), (1280, 800)]:
        laptop.set_viewport_size({"width": width, "height": height})
        assert laptop.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(laptop, "account-devices")
    section.get_by_role("button", name="Remove Chrome on Android").click()
    laptop.wait_for_url("**/accounts/settings/#devices")
    assert laptop.get_by_text("Notifications are off for Chrome on Android.").is_visible()
    assert list(PushSubscription.objects.values_list("device_name", flat=True)) == [
        "Samsung Internet on Android"
    ]


def registration_id(page):
    """The service worker's registration id, as the DevTools protocol knows it."""
    cdp = page.context.new_cdp_session(page)
    found = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: found.extend(r for r in event["registrations"] if not r.get("isDeleted")),
    )
    cdp.send("ServiceWorker.enable")
    for _ in range(50):
        if found:
            return cdp, found[0]["registrationId"]
        page.wait_for_timeout(100)
    raise AssertionError("The service worker has no registration")


SHOWN = """async () => {
  const registration = await navigator.serviceWorker.ready;
  return (await registration.getNotifications()).map((shown) => ({
    title: shown.title, body: shown.body, tag: shown.tag,
    actions: shown.actions.map((action) => action.title), data: shown.data,
  }));
}"""


def test_a_push_delivered_through_devtools_shows_the_reminder_with_its_actions(
    open_tab, user, live_server, settings
):
    from django.utils import timezone

    from push.notifications import as_payload, digest_notification
    from tests.checkins_helpers import make_supporter

    settings.SITE_URL = live_server.url  # the one-click links point at this server
    user.reminder_push_names = True
    first = make_supporter(user, name="Siobhán")
    notification = digest_notification(user=user, supporters=[first], now=timezone.now())
    page = open_tab("phone", user=user)
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    page.goto("/")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    cdp, registration = registration_id(page)
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server.url, "registrationId": registration, "data": as_payload(notification)},
    )
    shown = []
    for _ in range(50):
        shown = page.evaluate(SHOWN)
        if shown:
            break
        page.wait_for_timeout(100)
    assert [(item["title"], item["body"], item["tag"]) for item in shown] == [
        ("SupportNet", "Siobhán might like to hear from you.", "supportnet-reminder")
    ]
    assert shown[0]["actions"] == ["I reached out to Siobhán", "Snooze Siobhán 3 days"]
    links = shown[0]["data"]["links"]
    assert links["reached-out"].startswith(f"{settings.SITE_URL}/check-ins/act/")
    assert shown[0]["data"]["url"] == f"{settings.SITE_URL}/"


def test_the_switch_shows_once_the_service_worker_runs_and_failing_to_subscribe_stores_nothing(
    open_tab, user, live_server
):
    page = open_tab("phone", user=user)
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    page.goto("/accounts/settings/#devices")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()
    switch = page.get_by_role("button", name="Turn on notifications on this device")
    switch.wait_for(state="visible")
    assert page.get_by_text("open this page in a browser that supports them").is_hidden()
    # This machine reaches no browser push service, so the browser's subscribe fails: kindly, nothing stored.
    switch.click()
    status = page.locator("[data-push-status]")
    status.filter(has_text="could not be turned on").wait_for(timeout=30_000)
    assert not PushSubscription.objects.exists()
    assert_accessible(page)
