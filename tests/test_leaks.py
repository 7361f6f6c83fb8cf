"""Every URL that takes an object id answers 404 to anyone but the object's owner.

The walk reads every pattern from the URL resolver, so a new view with an id in its URL is checked
as soon as it exists; a parameter this file doesn't know fails the test until it is added below.
"""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api import services as api_services
from privacy import services as privacy_services
from tests.factories import CheckInFactory, SupporterFactory, UserFactory
from tests.sharing_helpers import make_ask, make_consent, make_share
from wellbeing.models import PlanPerson, PlanStep, SafetyPlan

NOW = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)

# URL parameters that are not object ids, and why.
NOT_OBJECT_IDS = {
    "key": "an emailed confirmation or password-reset key, checked by allauth",
    "uidb36": "part of allauth's password-reset key",
    "token": "a secret token: the calendar feed's (tests/test_calendar_feed.py), a reminder email's "
    "one-click action (signed, tested by the check-ins app), a supporter's consent link (signed, "
    "tests/test_sharing.py)",
    "app_label": "the admin's app index",
    "url": "the admin's catch-all",
}


def owned_supporter(user):
    return SupporterFactory(owner=user).pk


def owned_pending_import(user):
    raw = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jo\r\nEND:VCARD\r\n"
    return privacy_services.import_start(owner=user, file_name="c.vcf", raw=raw, now=NOW).pk


def owned_plan_person(user):
    plan = SafetyPlan.objects.create(owner=user)
    return PlanPerson.objects.create(plan=plan, supporter=SupporterFactory(owner=user), step=PlanStep.HELP).pk


def owned_check_in(user):
    return CheckInFactory(supporter=SupporterFactory(owner=user)).pk


def owned_consent(user):
    return make_consent(user).pk


def owned_ask(user):
    return make_ask(user).pk


def share_with(user):
    """A plan someone else shares with `user` (as a supporter who agreed): theirs to read, nobody else's."""
    return make_share(UserFactory(), email=user.email).pk


def owned_access_token(user):
    token, _ = api_services.token_create(user=user, name="script", scope="read", expires_in_days=7, now=NOW)
    return token.pk


# (namespace, parameter) -> a function that makes an object owned by `user` and returns its id.
OBJECT_FACTORIES = {
    ("contacts", "pk"): owned_supporter,
    ("checkins", "pk"): owned_check_in,
    ("privacy", "pk"): owned_pending_import,
    ("wellbeing", "plan_person_id"): owned_plan_person,
    ("dashboard", "pk"): owned_supporter,
    ("sharing", "consent_id"): owned_consent,
    ("sharing", "ask_id"): owned_ask,
    ("sharing", "share_id"): share_with,
    ("api", "supporter_id"): owned_supporter,
    ("api", "check_in_id"): owned_check_in,
    ("tokens", "pk"): owned_access_token,
}


def walk(resolver=None, namespaces=()):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from walk(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield namespaces, pattern


def parameters(pattern):
    return list(pattern.pattern.regex.groupindex)


def is_object_id(parameter):
    return parameter in ("pk", "id", "object_id") or parameter.endswith("_id")


def object_url_patterns():
    found = []
    for namespaces, pattern in walk():
        object_ids = [name for name in parameters(pattern) if is_object_id(name)]
        unknown = [
            name for name in parameters(pattern) if not is_object_id(name) and name not in NOT_OBJECT_IDS
        ]
        assert not unknown, f"{pattern.name}: say in NOT_OBJECT_IDS why {unknown} is not an object id"
        if object_ids:
            found.append((":".join(namespaces), pattern.name, object_ids))
    return found


OBJECT_URLS = object_url_patterns()
PRIVATE_URLS = [entry for entry in OBJECT_URLS if entry[0] != "admin"]
ADMIN_URLS = [entry for entry in OBJECT_URLS if entry[0] == "admin" and entry[1]]


def test_the_walk_finds_the_object_urls_we_know_of():
    names = {f"{namespace}:{name}" for namespace, name, _ in PRIVATE_URLS}
    assert {
        "contacts:detail",
        "checkins:edit",
        "checkins:delete",
        "contacts:edit",
        "contacts:archive",
        "contacts:unarchive",
        "contacts:delete",
        "privacy:import_preview",
        "privacy:import_cancel",
        "privacy:import_skipped",
        "wellbeing:plan_told",
        "sharing:share_plan",
        "sharing:stop_sharing",
        "sharing:ask_sent",
        "sharing:shared_plan",
        "tokens:revoke",
        "api:supporter_read",
        "api:check_in_read",
    } <= names


@pytest.mark.parametrize(("namespace", "name", "object_ids"), PRIVATE_URLS, ids=lambda value: str(value))
def test_another_persons_object_is_a_404_for_get_and_post(
    namespace, name, object_ids, client, user, other_user
):
    kwargs = {}
    for parameter in object_ids:
        factory = OBJECT_FACTORIES.get((namespace, parameter))
        assert factory, f"Add to OBJECT_FACTORIES how to make a {namespace} object for {parameter!r}"
        kwargs[parameter] = factory(user)
    url = reverse(f"{namespace}:{name}", kwargs=kwargs)
    missing = reverse(f"{namespace}:{name}", kwargs=dict.fromkeys(kwargs, 987654321))

    client.force_login(other_user)
    get = client.get(url)
    if get.status_code == 405:
        # A POST-only view refuses every GET alike, so the refusal says nothing about the object.
        assert client.get(missing).status_code == 405
    else:
        assert get.status_code == 404, f"GET {url} as another person"
    data = {"told": "yes", "support_types": ["emotional"], "circle": "middle"}
    post = client.post(url, data)
    if post.status_code == 405:
        # An API address without POST (its object is read with GET, changed with PATCH or DELETE).
        assert client.post(missing, data).status_code == 405
    else:
        assert post.status_code == 404, f"POST {url} as another person"
    for method in ("patch", "delete"):
        other = getattr(client, method)(url, "{}", content_type="application/json")
        assert other.status_code in (404, 405), f"{method.upper()} {url} as another person"

    # The object is untouched and still reachable by its owner.
    client.force_login(user)
    assert client.get(url).status_code in (200, 302, 405)


@pytest.mark.parametrize(("namespace", "name", "object_ids"), ADMIN_URLS, ids=lambda value: str(value))
def test_admin_object_urls_send_non_staff_to_sign_in(namespace, name, object_ids, client, user, other_user):
    client.force_login(other_user)
    url = reverse(f"admin:{name}", kwargs=dict.fromkeys(object_ids, user.pk))
    assert client.get(url).status_code == 302
    assert client.post(url).status_code == 302
