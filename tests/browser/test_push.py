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
