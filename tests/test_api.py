"""The JSON API: tokens (scope, expiry, revocation, hashed at rest), session use with CSRF, owner
scoping on every object id, limits, problem details, the shared supporter shape, constant queries."""

import datetime
import hashlib
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api.models import AccessToken, Scope
from api.services import token_create
from api.v1 import api as api_v1
from checkins.due import supporter_due_at
from checkins.models import CheckIn
from contacts.models import Rhythm, Supporter
from privacy.exports import export_everything
from tests.factories import CheckInFactory, SupporterFactory

JSON = "application/json"
PROBLEM = "application/problem+json"


def make_token(user, scope=Scope.READ_WRITE, days=30):
    _, secret = token_create(user=user, name="script", scope=scope, expires_in_days=days, now=timezone.now())
    return secret


def api_client(secret):
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def owner_api(user):
    return api_client(make_token(user))


@pytest.fixture
def outsider_api(other_user):
    return api_client(make_token(other_user))


def send(client, method, url, body=None):
    kwargs = {"content_type": JSON} if body is not None else {}
    return getattr(client, method)(url, json.dumps(body) if body is not None else None, **kwargs)


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"] == "about:blank"
    return body


# --- Tokens --------------------------------------------------------------------------------------


def test_it_shows_a_new_token_once_and_keeps_only_its_hash(owner_client, user):
    response = owner_client.post(
        reverse("tokens:list"), {"name": "Phone shortcut", "scope": "read", "expires_in_days": "30"}
    )
    secret = re.search(r'value="(sn_[^"]+)"', response.content.decode()).group(1)
    token = AccessToken.objects.get(user=user)
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = " ".join(str(value) for value in AccessToken.objects.filter(pk=token.pk).values().get().values())
    assert secret not in stored
    assert secret[:10] == token.prefix
    assert secret not in owner_client.get(reverse("tokens:list")).content.decode()
    assert api_client(secret).get("/api/v1/supporters").status_code == 200


def test_the_token_page_refuses_a_bad_expiry_kindly(owner_client, user):
    response = owner_client.post(
        reverse("tokens:list"), {"name": "x", "scope": "read", "expires_in_days": "3650"}
    )
    assert response.status_code == 200
    assert "Please choose one of the options shown." in response.content.decode()
    assert not AccessToken.objects.exists()


def test_a_read_token_cannot_write(user):
    supporter = SupporterFactory(owner=user, name="Kept")
    client = api_client(make_token(user, scope=Scope.READ))
    assert client.get(f"/api/v1/supporters/{supporter.pk}").status_code == 200
    assert_problem(
        send(client, "post", "/api/v1/supporters", {"name": "New", "support_types": ["peer"]}), 403
    )
    assert_problem(send(client, "patch", f"/api/v1/supporters/{supporter.pk}", {"name": "Changed"}), 403)
    assert_problem(client.delete(f"/api/v1/supporters/{supporter.pk}"), 403)
    assert_problem(client.post(f"/api/v1/supporters/{supporter.pk}/archive"), 403)
    assert list(Supporter.objects.values_list("name", "is_archived")) == [("Kept", False)]


def test_an_expired_token_stops_working(user):
    secret = make_token(user, days=7)
    assert api_client(secret).get("/api/v1/due").status_code == 200
    AccessToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    body = assert_problem(api_client(secret).get("/api/v1/due"), 401)
    assert "expired" in body["detail"]


def test_a_revoked_token_stops_at_once_and_the_page_says_so(owner_client, user):
    secret = make_token(user)
    token = AccessToken.objects.get(user=user)
    assert api_client(secret).get("/api/v1/due").status_code == 200
    assert owner_client.get(reverse("tokens:revoke", args=[token.pk])).status_code == 405
    response = owner_client.post(reverse("tokens:revoke", args=[token.pk]), follow=True)
    assert "is revoked" in response.content.decode()
    assert "Revoked" in response.content.decode()
    response = api_client(secret).get("/api/v1/due")
    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_deactivated_accounts_token_stops_at_once(user):
    secret = make_token(user)
    assert api_client(secret).get("/api/v1/due").status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert_problem(api_client(secret).get("/api/v1/due"), 401)


def test_the_token_list_shows_when_each_token_was_last_used(owner_client, user):
    secret = make_token(user)
    assert "Never used." in owner_client.get(reverse("tokens:list")).content.decode()
    api_client(secret).get("/api/v1/due")
    assert AccessToken.objects.get().last_used_at is not None
    assert "Last used" in owner_client.get(reverse("tokens:list")).content.decode()


def test_someone_elses_token_cannot_be_revoked(outsider_client, user):
    make_token(user)
    token = AccessToken.objects.get(user=user)
    assert outsider_client.post(reverse("tokens:revoke", args=[token.pk])).status_code == 404
    assert AccessToken.objects.get(pk=token.pk).revoked_at is None


def test_the_token_page_asks_visitors_to_sign_in(client):
    assert client.get(reverse("tokens:list")).status_code == 302


@pytest.mark.parametrize("path", ["/admin/", "/admin/accounts/user/", "/accounts/settings/", "/supporters/"])
def test_a_staff_token_opens_nothing_outside_the_api(user, path):
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    response = api_client(make_token(user)).get(path)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_staff_token_reads_only_its_own_people(user, other_user):
    SupporterFactory(owner=other_user, name="Not theirs", notes="secret note")
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    response = api_client(make_token(user)).get("/api/v1/supporters?archived=true")
    assert response.json()["items"] == []


def test_a_token_is_only_read_from_the_authorization_header(user):
    secret = make_token(user)
    assert_problem(Client().get(f"/api/v1/supporters?access_token={secret}"), 401)
    assert_problem(Client(HTTP_AUTHORIZATION=f"Token {secret}").get("/api/v1/supporters"), 401)
    assert_problem(Client(HTTP_AUTHORIZATION="Bearer sn_" + "x" * 43).get("/api/v1/supporters"), 401)


# --- Sessions and CSRF ---------------------------------------------------------------------------


def test_a_signed_in_page_can_call_the_api_with_its_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/api/v1/supporters").status_code == 200
    body = {"name": "From the page", "support_types": ["emotional"]}
    assert_problem(send(client, "post", "/api/v1/supporters", body), 403)
    assert not Supporter.objects.exists()
    client.get(reverse("api_docs"))
    csrf = client.cookies["csrftoken"].value
    response = client.post("/api/v1/supporters", json.dumps(body), content_type=JSON, HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201
    assert Supporter.objects.get().owner == user


def test_anonymous_callers_get_a_401_problem(client):
    for method, url in [("get", "/api/v1/supporters"), ("post", "/api/v1/check-ins"), ("get", "/api/v1/due")]:
        response = getattr(client, method)(url)
        assert_problem(response, 401)
        assert response["WWW-Authenticate"] == 'Bearer realm="SupportNet API"'


# --- Another person's objects --------------------------------------------------------------------


def object_operations():
    """Every operation of the schema with an object id in its path."""
    schema = api_v1.get_openapi_schema()
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        if "{" in path
        for method in operations
    ]


def test_the_idor_pass_covers_every_object_operation():
    assert len(object_operations()) == 8


@pytest.mark.parametrize(("method", "path"), object_operations())
def test_another_persons_object_is_a_404_on_every_operation(method, path, user, outsider_api):
    supporter = SupporterFactory(owner=user, notes="private", best_times="evenings")
    check_in = CheckInFactory(supporter=supporter, note="private note")
    url = path.replace("{supporter_id}", str(supporter.pk)).replace("{check_in_id}", str(check_in.pk))
    body = None
    if method == "PATCH":
        body = {"note": "overwritten"} if "check-ins" in path else {"name": "Taken", "notes": ""}
    response = send(outsider_api, method.lower(), url, body)
    assert_problem(response, 404)
    assert b"private" not in response.content
    supporter.refresh_from_db()
    assert (supporter.name, supporter.is_archived, supporter.notes) != ("Taken", True, "")
    assert CheckIn.objects.get(pk=check_in.pk).note == "private note"


def test_another_persons_ids_in_bodies_and_filters_find_nothing(user, other_user, outsider_api):
    supporter = SupporterFactory(owner=user)
    CheckInFactory(supporter=supporter)
    assert outsider_api.get(f"/api/v1/check-ins?supporter_id={supporter.pk}").json()["items"] == []
    body = {"supporter_id": supporter.pk, "happened_at": "2026-01-05T10:00:00+00:00", "channel": "call"}
    problem = assert_problem(send(outsider_api, "post", "/api/v1/check-ins", body), 422)
    assert problem["errors"] == [
        {"field": "supporter", "message": "Please choose someone from your own network."}
    ]
    assert CheckIn.objects.count() == 1


def test_encrypted_fields_reach_their_owner(user, owner_api):
    supporter = SupporterFactory(owner=user, notes="only mine", best_times="weekends")
    data = owner_api.get(f"/api/v1/supporters/{supporter.pk}").json()
    assert (data["notes"], data["best_times"]) == ("only mine", "weekends")


# --- Writes go through the services -------------------------------------------------------------


def test_logging_a_check_in_moves_the_supporters_due_moment(user, owner_api):
    supporter = SupporterFactory(owner=user, rhythm=Rhythm.CUSTOM, rhythm_days=10)
    body = {
        "supporter_id": supporter.pk,
        "happened_at": "2026-01-05T10:00:00+00:00",
        "channel": "call",
        "mood": 4,
    }
    response = send(owner_api, "post", "/api/v1/check-ins", body)
    assert response.status_code == 201
    supporter.refresh_from_db()
    assert supporter.last_check_in_at == datetime.datetime(2026, 1, 5, 10, tzinfo=datetime.UTC)
    assert supporter.next_check_in_at == supporter_due_at(supporter) is not None
    check_in_id = response.json()["id"]
    moved = send(
        owner_api, "patch", f"/api/v1/check-ins/{check_in_id}", {"happened_at": "2026-02-01T10:00:00Z"}
    )
    assert moved.status_code == 200
    supporter.refresh_from_db()
    assert supporter.last_check_in_at == datetime.datetime(2026, 2, 1, 10, tzinfo=datetime.UTC)
    assert owner_api.delete(f"/api/v1/check-ins/{check_in_id}").status_code == 204
    supporter.refresh_from_db()
    assert supporter.last_check_in_at is None


def test_a_check_in_in_the_future_is_refused_kindly(user, owner_api):
    supporter = SupporterFactory(owner=user)
    future = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    body = {"supporter_id": supporter.pk, "happened_at": future, "channel": "call"}
    problem = assert_problem(send(owner_api, "post", "/api/v1/check-ins", body), 422)
    assert "still to come" in problem["errors"][0]["message"]


def test_archiving_and_editing_a_supporter_use_the_supporter_services(user, owner_api):
    supporter = SupporterFactory(owner=user)
    created = send(owner_api, "post", "/api/v1/supporters", {"name": "Ari", "support_types": ["peer"]}).json()
    assert created["next_check_in_at"] is not None
    archived = owner_api.post(f"/api/v1/supporters/{created['id']}/archive").json()
    assert archived["is_archived"] is True and archived["next_check_in_at"] is None
    assert [s["id"] for s in owner_api.get("/api/v1/supporters").json()["items"]] == [supporter.pk]
    back = owner_api.post(f"/api/v1/supporters/{created['id']}/unarchive").json()
    assert back["next_check_in_at"] is not None
    edited = send(owner_api, "patch", f"/api/v1/supporters/{created['id']}", {"rhythm": "none"}).json()
    assert edited["rhythm"] == "none" and edited["next_check_in_at"] is None and edited["name"] == "Ari"
    problem = assert_problem(
        send(owner_api, "patch", f"/api/v1/supporters/{created['id']}", {"rhythm": "custom"}), 422
    )
    assert problem["errors"] == [
        {"field": "rhythm_days", "message": "Say how many days between check-ins, from 1 to 365."}
    ]
    assert owner_api.delete(f"/api/v1/supporters/{created['id']}").status_code == 204
    assert not Supporter.objects.filter(pk=created["id"]).exists()


def test_reminder_preferences_are_saved_and_rescheduled(user, owner_api):
    body = {
        "reminders_enabled": True,
        "reminder_hour": 18,
        "reminder_weekdays": [5, 6],
        "reminders_paused_until": None,
    }
    data = send(owner_api, "put", "/api/v1/reminder-preferences", body).json()
    assert data["reminder_hour"] == 18 and data["reminder_weekdays"] == [5, 6]
    user.refresh_from_db()
    assert user.reminder_weekdays == "56"
    assert user.next_digest_at.astimezone(user.zone).hour == 18
    assert user.next_digest_at.astimezone(user.zone).weekday() in (5, 6)


# --- Limits and errors ---------------------------------------------------------------------------


def test_the_rate_limit_counts_per_token(user, settings):
    settings.API_RATE_LIMIT_REQUESTS = 3
    first, second = api_client(make_token(user)), api_client(make_token(user))
    for _ in range(3):
        assert first.get("/api/v1/due").status_code == 200
    response = first.get("/api/v1/due")
    assert_problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= settings.API_RATE_LIMIT_WINDOW_SECONDS
    assert second.get("/api/v1/due").status_code == 200


def test_a_body_over_the_cap_is_refused_unread(user, owner_api, settings):
    body = {"name": "Big", "support_types": ["peer"], "notes": "x" * (settings.API_MAX_BODY_BYTES)}
    assert_problem(send(owner_api, "post", "/api/v1/supporters", body), 413)
    assert not Supporter.objects.exists()


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/supporters?limit=501", 422),
        ("/api/v1/supporters?limit=0", 422),
        ("/api/v1/supporters?cursor=not-ours", 400),
        ("/api/v1/supporters?cursor=WyJcdTAwMDAiLDFd", 400),  # a NUL in the name
        ("/api/v1/check-ins?cursor=WyJ4IiwxXQ", 400),
        ("/api/v1/supporters/99999999999999999999", 422),
        ("/api/v1/supporters/-1", 422),
        ("/api/v1/directory?country=gb", 422),
        ("/api/v1/nothing-here", 404),
        ("/api/v2/supporters", 404),
    ],
)
def test_bad_input_gets_a_problem_never_a_500(owner_api, url, status):
    assert_problem(owner_api.get(url), status)


def test_an_unreadable_body_gets_a_400_problem(owner_api):
    response = owner_api.post("/api/v1/supporters", "{not json", content_type=JSON)
    assert_problem(response, 400)


def test_cursors_stay_stable_while_the_list_changes(user, owner_api):
    for name in ["Bea", "Cai", "Dee", "Eli", "Fay"]:
        SupporterFactory(owner=user, name=name)
    first = owner_api.get("/api/v1/supporters?limit=2").json()
    assert [s["name"] for s in first["items"]] == ["Bea", "Cai"]
    SupporterFactory(owner=user, name="Ada")  # before the cursor: must not shift the next page
    Supporter.objects.filter(name="Bea").delete()
    seen = []
    cursor = first["next_cursor"]
    while cursor:
        page = owner_api.get(f"/api/v1/supporters?limit=2&cursor={cursor}").json()
        seen += [s["name"] for s in page["items"]]
        cursor = page["next_cursor"]
    assert seen == ["Dee", "Eli", "Fay"]


def test_check_in_pages_walk_newest_first_without_gaps(user, owner_api):
    supporter = SupporterFactory(owner=user)
    moment = timezone.now() - datetime.timedelta(days=1)
    made = [CheckInFactory(supporter=supporter, happened_at=moment).pk for _ in range(3)]  # same moment
    made += [CheckInFactory(supporter=supporter, happened_at=moment - datetime.timedelta(hours=1)).pk]
    seen, cursor = [], None
    while True:
        page = owner_api.get("/api/v1/check-ins?limit=1" + (f"&cursor={cursor}" if cursor else "")).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(made[:3], reverse=True) + made[3:]


# --- One representation, one schema --------------------------------------------------------------

OLD_EXPORT_KEYS = [
    "id", "name", "relationship", "support_types", "circle", "feeling", "email", "phone",
    "preferred_channel", "best_times", "rhythm", "rhythm_days", "is_crisis_contact", "notes",
    "is_archived", "last_check_in_at", "next_check_in_at", "snoozed_until", "created_at", "updated_at",
]  # fmt: skip


def test_the_export_and_the_api_show_a_supporter_the_same_way(user, owner_api):
    SupporterFactory(owner=user, name="Jo", notes="n", best_times="b", feeling="mixed", gives_peer=True)
    CheckInFactory(
        supporter=Supporter.objects.get(), happened_at=timezone.now() - datetime.timedelta(hours=5)
    )
    exported = json.loads(json.dumps(export_everything(user=user)))["supporters"]
    listed = owner_api.get("/api/v1/supporters").json()["items"]
    assert exported == listed
    assert list(exported[0]) == OLD_EXPORT_KEYS
    assert owner_api.get(f"/api/v1/supporters/{exported[0]['id']}").json() == exported[0]


def test_the_schema_is_openapi_3_1_and_the_docs_page_needs_no_inline_script(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    problem = schema["paths"]["/api/v1/supporters"]["get"]["responses"]["404"]
    assert list(problem["content"]) == [PROBLEM]
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    page = client.get(reverse("api_docs"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "'unsafe-inline'" not in page["Content-Security-Policy"]
    scripts = re.findall(r"<script([^>]*)>", html)
    # Our own files only: static files and Django's JavaScript catalog of our translated words.
    assert scripts and all(
        'src="/static/' in attributes or 'src="/jsi18n/"' in attributes for attributes in scripts
    )
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


# --- Constant queries ----------------------------------------------------------------------------


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response.json()


@pytest.mark.parametrize(
    "url", ["/api/v1/supporters?limit=500", "/api/v1/check-ins?limit=500", "/api/v1/due"]
)
def test_lists_take_the_same_queries_at_5_and_300_supporters(user, url):
    client = api_client(make_token(user))
    counts = []
    for size in (5, 300):
        Supporter.objects.filter(owner=user).delete()
        supporters = SupporterFactory.create_batch(size, owner=user)
        CheckIn.objects.bulk_create(
            CheckIn(owner=user, supporter=s, happened_at=timezone.now(), channel="call", initiated_by="me")
            for s in supporters
        )
        Supporter.objects.filter(owner=user).update(
            next_check_in_at=timezone.now() - datetime.timedelta(days=1)
        )
        count, data = queries_for(client, url)
        assert len(data["items"]) == size
        counts.append(count)
    # The token (with its person), its last use, the list.
    assert counts[0] == counts[1] <= 3, counts


def test_the_account_page_leads_to_tokens_and_the_docs(owner_client):
    html = owner_client.get(reverse("accounts:settings")).content.decode()
    assert reverse("tokens:list") in html and reverse("api_docs") in html
