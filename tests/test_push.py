"""Web Push: subscriptions per device, the sender, what a notification says, keys and set-up.

Sending goes through pywebpush to our own RFC 8030 push service on loopback (tests/push_service.py),
which checks the VAPID JWT and decrypts the payload with the device's private key.
"""

import datetime
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import ReminderChannel
from checkins.hooks import digest_nudges
from checkins.models import CheckIn
from push import keys, services
from push.models import PushSubscription, endpoint_digest
from push.notifications import as_payload, digest_notification
from tests.checkins_helpers import make_supporter
from tests.conftest import ROOT
from tests.factories import UserFactory
from tests.push_service import b64url

NOW = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


def subscribe(client, subscription, **headers):
    return client.post(
        reverse("push:subscribe"),
        json.dumps({"subscription": subscription}),
        content_type="application/json",
        headers={"User-Agent": ANDROID_CHROME, **headers},
    )


def store(user, device, name="Chrome on Android"):
    data = services.subscription_data_clean(device.subscription_json())
    return services.push_subscription_save(user=user, data=data, device_name=name, now=NOW)


# --- Subscribing, listing, removing ------------------------------------------------------------


def test_it_stores_a_device_with_its_endpoint_and_keys_encrypted(owner_client, user, push_service):
    device = push_service.new_device()
    response = subscribe(owner_client, device.subscription_json())
    assert response.status_code == 201
    # Named as the sessions page names it (accounts.devices, ua-parser).
    assert response.json()["device_name"] == "Chrome Mobile on Pixel 8 (Android)"
    subscription = PushSubscription.objects.get(user=user)
    assert subscription.subscription_info() == device.subscription_json()
    with connection.cursor() as cursor:
        cursor.execute("SELECT endpoint, p256dh, auth FROM push_pushsubscription")
        stored = cursor.fetchone()
    keys_json = device.subscription_json()["keys"]
    for column, plain in zip(stored, [device.endpoint, keys_json["p256dh"], keys_json["auth"]], strict=True):
        assert plain not in column and "localhost" not in column


def test_subscribing_the_same_device_again_keeps_one_row(owner_client, user, push_service):
    device = push_service.new_device()
    subscribe(owner_client, device.subscription_json())
    assert subscribe(owner_client, device.subscription_json()).status_code == 201
    assert PushSubscription.objects.filter(user=user).count() == 1


def valid_subscription(push_service):
    return push_service.new_device().subscription_json()


def with_endpoint(subscription, endpoint):
    return {**subscription, "endpoint": endpoint}


def with_key(subscription, name, value):
    return {**subscription, "keys": {**subscription["keys"], name: value}}


BAD_SUBSCRIPTIONS = {
    "plain http": lambda s: with_endpoint(s, s["endpoint"].replace("https:", "http:")),
    "javascript scheme": lambda s: with_endpoint(s, "javascript:alert(1)"),
    "file scheme": lambda s: with_endpoint(s, "file:///etc/passwd"),
    "no host": lambda s: with_endpoint(s, "https:///push/x"),
    "credentials in the address": lambda s: with_endpoint(s, "https://user:pw@push.example/x"),
    "a newline in the address": lambda s: with_endpoint(s, "https://push.example/x\r\nHost: evil"),
    "a huge address": lambda s: with_endpoint(s, "https://push.example/" + "a" * 5000),
    "huge public key": lambda s: with_key(s, "p256dh", "A" * 10_000),
    "public key not base64url": lambda s: with_key(s, "p256dh", "not base64!" * 5),
    "public key too short": lambda s: with_key(s, "p256dh", b64url(b"\x04" + b"1" * 31)),
    "public key off the curve": lambda s: with_key(s, "p256dh", b64url(b"\x04" + b"\x01" * 64)),
    "auth secret too long": lambda s: with_key(s, "auth", b64url(b"x" * 32)),
    "auth secret not base64url": lambda s: with_key(s, "auth", "%%%%%%%%%%%%%%%%%%%%%%"),
    "auth secret not text": lambda s: with_key(s, "auth", 12345),
    "no keys": lambda s: {"endpoint": s["endpoint"]},
    "not an object": lambda s: ["endpoint", s["endpoint"]],
}


@pytest.mark.parametrize("case", BAD_SUBSCRIPTIONS)
def test_a_bad_subscription_is_refused_with_a_clear_error_and_nothing_stored(
    case, owner_client, user, push_service
):
    response = subscribe(owner_client, BAD_SUBSCRIPTIONS[case](valid_subscription(push_service)))
    assert response.status_code == 400
    assert response.json()["error"].endswith("Nothing was saved.")
    assert len(response.json()["error"]) > len("Nothing was saved.") + 10
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "body",
    [b"not json", b'"a string"', b"[1, 2]", b"{" * 9000, '{"subscription": "\u00e9"}'.encode("latin-1")],
)
def test_a_body_that_is_not_a_json_object_is_refused(body, owner_client, push_service):
    response = owner_client.post(reverse("push:subscribe"), body, content_type="application/json")
    assert response.status_code == 400
    assert "Nothing was saved" in response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_a_form_post_without_javascript_is_refused_kindly(owner_client):
    response = owner_client.post(reverse("push:subscribe"), {"endpoint": "https://push.example/x"})
    assert response.status_code == 400
    assert "needs JavaScript" in response.json()["error"]


def test_another_persons_device_is_refused_and_stays_theirs(client, user, other_user, push_service):
    device = push_service.new_device()
    store(user, device)
    client.force_login(other_user)
    response = subscribe(client, device.subscription_json())
    assert response.status_code == 400
    assert "another SupportNet account" in response.json()["error"]
    assert list(PushSubscription.objects.values_list("user", flat=True)) == [user.pk]


def test_the_views_need_a_signed_in_person_a_post_and_the_csrf_token(client, user, push_service):
    device = push_service.new_device()
    response = subscribe(client, device.subscription_json())
    assert response.status_code == 302 and reverse("account_login") in response.url
    client.force_login(user)
    assert client.get(reverse("push:subscribe")).status_code == 405
    assert client.get(reverse("push:unsubscribe")).status_code == 405

    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert subscribe(strict, device.subscription_json()).status_code == 403
    assert not PushSubscription.objects.exists()


def test_the_account_page_lists_devices_and_removes_only_the_owners(client, user, other_user, push_service):
    mine = store(user, push_service.new_device(), "Firefox on Android")
    theirs = store(other_user, push_service.new_device(), "Safari on iPhone")
    client.force_login(user)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert "Firefox on Android" in page and "Safari on iPhone" not in page
    assert reverse("push:remove", args=[mine.pk]) in page
    assert 'data-vapid-key="' + settings.WEBPUSH_VAPID_PUBLIC_KEY + '"' in page

    assert client.post(reverse("push:remove", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("push:remove", args=[mine.pk]), follow=True)
    assert "Notifications are off for Firefox on Android" in response.content.decode()
    assert list(PushSubscription.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_unsubscribing_by_endpoint_removes_only_the_owners(client, user, other_user, push_service):
    theirs = push_service.new_device()
    store(other_user, theirs)
    mine = push_service.new_device()
    store(user, mine)
    client.force_login(user)
    post = lambda endpoint: client.post(  # noqa: E731
        reverse("push:unsubscribe"), json.dumps({"endpoint": endpoint}), content_type="application/json"
    )
    assert post(theirs.endpoint).json() == {"removed": False}
    assert post(mine.endpoint).json() == {"removed": True}
    assert post(["not", "text"]).status_code == 400
    assert list(PushSubscription.objects.values_list("user", flat=True)) == [other_user.pk]


# Session, user, the devices, two-step sign-in: one for the list whatever its length.
QUERIES_ON_ACCOUNT_PAGE = 4


@pytest.mark.parametrize("size", [1, 6])
def test_the_account_page_lists_devices_in_constant_queries(
    size, client, user, push_service, django_assert_num_queries
):
    for _ in range(size):
        store(user, push_service.new_device())
    client.force_login(user)
    client.get(reverse("accounts:settings"))  # Warm the session and the cache of site-wide lookups.
    with django_assert_num_queries(QUERIES_ON_ACCOUNT_PAGE):
        assert client.get(reverse("accounts:settings")).content.decode().count("On since") == size


# --- Sending --------------------------------------------------------------------------------------


def test_a_push_reaches_the_device_decrypted_with_a_valid_vapid_token(user, push_service):
    device = push_service.new_device()
    subscription = store(user, device)
    assert services.push_send(subscription=subscription, payload='{"title": "Hello"}', now=NOW) is True
    (received,) = push_service.received
    assert received.payload == {"title": "Hello"}
    assert received.claims["aud"] == push_service.origin
    assert received.claims["sub"] == settings.WEBPUSH_VAPID_SUBJECT
    assert received.headers["ttl"] == str(settings.WEBPUSH_TTL_SECONDS)
    subscription.refresh_from_db()
    assert subscription.last_success_at == NOW


def test_a_push_signed_with_another_key_is_refused_by_the_push_service(user, push_service, settings):
    subscription = store(user, push_service.new_device())
    settings.WEBPUSH_VAPID_PRIVATE_KEY = keys.private_key_generate()
    with pytest.raises(services.PushNotDelivered, match="403"):
        services.push_send(subscription=subscription, payload="{}", now=NOW)
    assert push_service.refused == [(403, "VAPID: k is not the application server key")]
    subscription.refresh_from_db()
    assert subscription.last_success_at is None


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_removed(status, user, push_service):
    subscription = store(user, push_service.new_device())
    push_service.answer_next(status)
    assert services.push_send(subscription=subscription, payload="{}", now=NOW) is False
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize("status", [429, 500, 503, 400, 413, 200, 202])
def test_other_answers_are_retryable_and_keep_the_subscription(status, user, push_service):
    subscription = store(user, push_service.new_device())
    push_service.answer_next(status)
    with pytest.raises(services.PushNotDelivered, match=str(status)) as raised:
        services.push_send(subscription=subscription, payload="{}", now=NOW)
    assert "localhost" in str(raised.value) and user.email not in str(raised.value)
    assert PushSubscription.objects.filter(pk=subscription.pk).exists()
    assert services.push_send(subscription=subscription, payload="{}", now=NOW) is True


def test_a_push_service_that_is_down_is_retryable(user, push_service):
    subscription = store(user, push_service.new_device())
    push_service.stop()
    try:
        with pytest.raises(services.PushNotDelivered, match="ConnectionError"):
            services.push_send(subscription=subscription, payload="{}", now=NOW)
    finally:
        push_service.start()
    assert services.push_send(subscription=subscription, payload="{}", now=NOW) is True
    assert PushSubscription.objects.filter(pk=subscription.pk).exists()


def test_sending_to_a_person_reaches_every_device_and_drops_gone_ones(user, push_service):
    phone, laptop, old = (push_service.new_device() for _ in range(3))
    for device in (phone, laptop, old):
        store(user, device)
    push_service.devices.pop(old.id)  # Its push service no longer knows it: 404.
    assert services.push_send_to_user(user=user, payload='{"n": 1}', now=NOW) is True
    assert push_service.payloads_for(phone) == push_service.payloads_for(laptop) == [{"n": 1}]
    assert PushSubscription.objects.filter(user=user).count() == 2


def test_sending_to_a_person_raises_only_when_no_device_took_it(user, push_service):
    store(user, push_service.new_device())
    store(user, push_service.new_device())
    push_service.answer_next(500, 500)
    with pytest.raises(services.PushNotDelivered):
        services.push_send_to_user(user=user, payload="{}", now=NOW)
    push_service.answer_next(500)
    assert services.push_send_to_user(user=user, payload="{}", now=NOW) is True
    PushSubscription.objects.all().delete()
    assert services.push_send_to_user(user=user, payload="{}", now=NOW) is False


# --- What a notification says ----------------------------------------------------------------------


def test_a_notification_names_no_one_by_default(user, push_service):
    user.reminder_push_names = False
    supporters = [make_supporter(user, name="Siobhán"), make_supporter(user, name="Dr Okafor")]
    notification = digest_notification(user=user, supporters=supporters, now=NOW)
    assert notification["body"] == "A few people might like to hear from you."
    assert notification["actions"] == []
    assert notification["url"] == f"{settings.SITE_URL}/"
    one = digest_notification(user=user, supporters=supporters[:1], now=NOW)
    assert one["body"] == "Someone might like to hear from you."
    store(user, device := push_service.new_device())
    services.push_send_to_user(user=user, payload=as_payload(notification), now=NOW)
    shown = json.dumps(push_service.payloads_for(device), ensure_ascii=False)
    assert "Siobhán" not in shown and "Okafor" not in shown


def test_naming_is_opt_in_and_the_actions_are_the_emails_one_click_links(client, user, push_service):
    user.reminder_push_names = True
    first, second = make_supporter(user, name="Siobhán"), make_supporter(user, name="Dr Okafor")
    notification = digest_notification(user=user, supporters=[first, second], now=NOW)
    assert notification["body"] == "Siobhán and Dr Okafor might like to hear from you."
    store(user, device := push_service.new_device())
    services.push_send_to_user(user=user, payload=as_payload(notification), now=NOW)
    (shown,) = push_service.payloads_for(device)
    assert [action["action"] for action in shown["actions"]] == ["reached-out", "snooze"]
    assert shown["actions"][0]["title"] == "I reached out to Siobhán"
    reached_out = shown["actions"][0]["url"].removeprefix(settings.SITE_URL)
    assert client.post(reached_out).status_code == 200  # No session: the signed link is the authority.
    assert CheckIn.objects.filter(owner=user, supporter=first).count() == 1
    assert client.post(reached_out).status_code == 200
    assert CheckIn.objects.filter(owner=user, supporter=first).count() == 1, "acts once"


def test_many_names_are_summed_up():
    from push.notifications import names_sentence

    assert names_sentence(["A", "B", "C"]) == "A, B and C"
    assert names_sentence(["A", "B", "C", "D", "E"]) == "A, B and 3 others"


def test_the_self_check_nudge_rides_along_only_when_asked_for_and_due(user):
    user.reminder_self_check = False
    assert digest_nudges(user=user, now=NOW) == []
    user.reminder_self_check = True
    (nudge,) = digest_nudges(user=user, now=NOW)
    assert nudge.url.endswith(reverse("wellbeing:self_check"))
    notification = digest_notification(user=user, supporters=[make_supporter(user)], now=NOW)
    assert notification["body"] == f"Someone might like to hear from you. {nudge.text}"

    from wellbeing.models import LSNS_FIELDS, UCLA_FIELDS
    from wellbeing.services import self_check_record

    self_check_record(user=user, answers=dict.fromkeys(UCLA_FIELDS + LSNS_FIELDS, 1), now=NOW)
    assert digest_nudges(user=user, now=NOW) == [], "taken this month"


def test_the_reminder_preferences_save_the_channel_and_the_opt_ins(owner_client, user):
    response = owner_client.post(
        reverse("checkins:reminders"),
        {
            "reminders_enabled": "on",
            "reminder_hour": "9",
            "reminder_weekdays": ["0", "1"],
            "reminder_channel": "both",
            "reminder_push_names": "on",
            "reminder_self_check": "on",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.reminder_channel, user.reminder_push_names, user.reminder_self_check) == ("both", True, True)
    bad = owner_client.post(
        reverse("checkins:reminders"),
        {
            "reminders_enabled": "on",
            "reminder_hour": "9",
            "reminder_weekdays": ["0"],
            "reminder_channel": "sms",
        },
    )
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
    user.refresh_from_db()
    assert user.reminder_channel == ReminderChannel.BOTH


def test_new_people_get_email_only_no_names_and_no_nudge(db):
    person = UserFactory()
    assert (person.reminder_channel, person.reminder_push_names, person.reminder_self_check) == (
        "email",
        False,
        False,
    )


# --- Keys and set-up ---------------------------------------------------------------------------------


def test_the_key_command_prints_a_key_whose_public_half_is_derived(capsys):
    call_command("push_keys")
    out = capsys.readouterr().out
    private = out.splitlines()[0].removeprefix("WEBPUSH_VAPID_PRIVATE_KEY=")
    assert f"# public key: {keys.public_key_of(private)}" in out
    assert len(keys.b64url_decode(keys.public_key_of(private))) == 65


def test_development_keeps_one_key_pair_under_var(tmp_path):
    path = tmp_path / "var" / "webpush-vapid-key"
    first = keys.development_private_key(path)
    assert keys.development_private_key(path) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("bad", ["", "not base64 at all!", keys.b64url_encode(b"x" * 31)])
def test_a_bad_private_key_is_refused(bad):
    with pytest.raises(ValueError, match="WEBPUSH_VAPID_PRIVATE_KEY"):
        keys.public_key_of(bad)


def start_django(**variables):
    production = {
        "DEBUG": "false",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "example.org",
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "FIELD_ENCRYPTION_KEYS": "Ezoh4uepWVpP3AyY4CbCmTFRou2654HPfUsuSFw-0lA=",
    }
    environment = (
        {key: value for key, value in os.environ.items() if not key.startswith("WEBPUSH_")}
        | production
        | variables
    )
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.WEBPUSH_ENABLED, settings.WEBPUSH_VAPID_PUBLIC_KEY)",
        ],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "supportnet.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_with_push_on_and_no_key():
    result = start_django(WEBPUSH_ENABLED="true")
    assert result.returncode != 0
    assert "WEBPUSH_VAPID_PRIVATE_KEY is not set" in result.stderr
    assert "manage.py push_keys" in result.stderr


def test_production_starts_with_a_key_or_with_push_off():
    private = keys.private_key_generate()
    with_key = start_django(WEBPUSH_ENABLED="true", WEBPUSH_VAPID_PRIVATE_KEY=private)
    assert with_key.returncode == 0, with_key.stderr
    assert with_key.stdout.split() == ["True", keys.public_key_of(private)]
    off = start_django()
    assert off.returncode == 0, off.stderr
    assert off.stdout.split() == ["False"]
    broken = start_django(WEBPUSH_ENABLED="true", WEBPUSH_VAPID_PRIVATE_KEY="shortkey")
    assert broken.returncode != 0 and "43 base64url characters" in broken.stderr


def test_a_subscription_digest_is_the_endpoints_sha256(user, push_service):
    device = push_service.new_device()
    subscription = store(user, device)
    assert subscription.endpoint_digest == endpoint_digest(device.endpoint)
    assert timezone.is_aware(subscription.created_at)


def test_a_person_may_have_at_most_so_many_devices(owner_client, user, push_service, monkeypatch):
    monkeypatch.setattr(services, "MAX_DEVICES", 2)
    assert subscribe(owner_client, valid_subscription(push_service)).status_code == 201
    assert subscribe(owner_client, valid_subscription(push_service)).status_code == 201
    response = subscribe(owner_client, valid_subscription(push_service))
    assert response.status_code == 400 and "Remove one you no longer use" in response.json()["error"]
    assert PushSubscription.objects.filter(user=user).count() == 2
