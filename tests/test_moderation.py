"""Moderators run the site without seeing anyone's private life: the permission matrix, the audited
account actions, the site figures and the create_moderator command."""

import importlib
import re
import time
from functools import partial

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from moderation.models import AccountAction, AccountActionKind
from moderation.roles import MODERATOR_PERMISSIONS
from resources.models import Resource
from sharing.models import AskRecipient, SupporterConsent
from tests.factories import CheckInFactory, ResourceFactory, SupporterFactory, UserFactory, make_moderator
from tests.sharing_helpers import make_ask, make_share
from tests.test_two_factor import totp_code
from tests.waiting import wait_until

PASSWORD = "a calm long passphrase"
SECRETS = [
    "Secret Supporter Name",
    "SECRET-SUPPORTER-NOTE",
    "SECRET-BOUNDARY",
    "SECRET-CHECK-IN-NOTE",
    "secret.supporter@example.net",
    "SECRET-HOW-TO-ASK",
    "SECRET-ASK-MESSAGE",
    "SECRET-FROM-NAME",
]
groups_migration = importlib.import_module("moderation.migrations.0002_moderators_group")

# What a moderator may open in the admin; every other registered admin page must refuse them.
MODERATOR_MAY = {
    "accounts.user": {"changelist", "change", "history"},
    "resources.resource": {"changelist", "add", "change", "history"},
    "moderation.sitefigures": {"changelist"},
}
MODERATOR_APPS = {"accounts", "resources", "moderation"}
VIEWS = ["changelist", "add", "change", "history", "delete"]


def current_code(secret):
    """The authenticator code, never one about to expire (allauth accepts only the current 30 s step)."""
    wait_until(lambda: time.time() % 30 < 27, timeout=5, what="a 30-second window with time left")
    return totp_code(secret)


def set_up_two_step(user):
    """Turn on an authenticator app for `user`, as staff must before /admin/; returns its secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@pytest.fixture
def world(db, two_step_login):
    """A person with a private life in the database, a moderator, a superuser, and some history.

    `world["login"](client, someone)` signs anyone in; staff with two-step sign-in, as /admin/ requires.
    """
    owner = UserFactory(email="owner@example.com", country="GB")
    supporter = SupporterFactory(
        owner=owner,
        name="Secret Supporter Name",
        email="secret.supporter@example.net",
        notes="SECRET-SUPPORTER-NOTE",
        best_times="SECRET-BOUNDARY",
    )
    CheckInFactory(supporter=supporter, note="SECRET-CHECK-IN-NOTE")
    # The supporter agreed to hear from SupportNet, was asked for support and can see the plan.
    share = make_share(owner, email="secret.supporter@example.net", supporter=supporter)
    SupporterConsent.objects.filter(pk=share.consent_id).update(from_name="SECRET-FROM-NAME")
    consent = SupporterConsent.objects.get(pk=share.consent_id)
    consent.how_to_ask = "SECRET-HOW-TO-ASK"
    consent.save()
    ask = make_ask(owner, message="SECRET-ASK-MESSAGE")
    AskRecipient.objects.create(ask=ask, supporter=supporter)
    moderator = make_moderator()
    superuser = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    ResourceFactory(name="Test Line")
    AccountAction.objects.create(
        actor=moderator,
        actor_email=moderator.email,
        account=owner,
        action="resend_confirmation",
        reason="Asked",
    )
    # The superuser once edited the supporter: that history must stay out of a moderator's sight.
    for obj, text in [(supporter, "Changed notes."), (owner, "Changed time zone.")]:
        LogEntry.objects.create(
            user=superuser,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj),
            action_flag=CHANGE,
            change_message=text,
        )

    def login(client, person):
        if person.is_staff or person.is_superuser:
            return two_step_login(client, person)
        client.force_login(person)
        return client

    return {
        "owner": owner,
        "moderator": moderator,
        "superuser": superuser,
        "supporter": supporter,
        "login": login,
    }


def admin_pages(world):
    """Every page of every registered ModelAdmin, with the model it belongs to and which view it is."""
    pages = []
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        obj = None
        if model is User:
            obj = world["owner"]
        elif model._meta.managed:
            obj = model._default_manager.order_by("pk").first()
        for view in VIEWS:
            needs_object = view in ("change", "history", "delete")
            if needs_object and obj is None:
                continue
            args = [obj.pk] if needs_object else []
            try:
                url = reverse("admin:{}_{}_{}".format(*info, view), args=args)
            except NoReverseMatch:
                continue
            pages.append((model._meta.label_lower, view, url, model_admin))
    owner = world["owner"].pk
    pages.append(
        ("accounts.user", "password", reverse("admin:auth_user_password_change", args=[owner]), None)
    )
    return pages


def app_pages():
    return {model._meta.app_label for model in admin.site._registry}


def test_it_redirects_anonymous_visitors_from_every_admin_page_to_the_site_s_sign_in(client, world):
    for _label, _view, url, _model_admin in admin_pages(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login")), url
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=")


def test_it_refuses_every_admin_page_to_a_signed_in_user_who_is_not_staff(client, world):
    world["login"](client, world["owner"])
    for _label, _view, url, _model_admin in admin_pages(world):
        response = client.get(url, follow=True)
        assert response.status_code == 403, url
        assert "SECRET" not in response.content.decode()


def test_it_lets_a_moderator_open_only_the_pages_for_their_work(client, world):
    world["login"](client, world["moderator"])
    wrong = []
    for label, view, url, _model_admin in admin_pages(world):
        expected = 200 if view in MODERATOR_MAY.get(label, set()) else 403
        status = client.get(url).status_code
        if status != expected:
            wrong.append(f"{url}: {status}, expected {expected}")
    for app_label in app_pages():
        expected = 200 if app_label in MODERATOR_APPS else 404
        status = client.get(reverse("admin:app_list", args=[app_label])).status_code
        if status != expected:
            wrong.append(f"{app_label} index: {status}, expected {expected}")
    assert not wrong, "\n".join(wrong)


def test_it_refuses_a_moderator_supporters_check_ins_reminder_logs_and_plans_by_url(client, world):
    """Whether or not those admins are registered, a moderator never gets a page of them."""
    world["login"](client, world["moderator"])
    supporter = world["supporter"]
    for app_label, model_name, pk in [
        ("contacts", "supporter", supporter.pk),
        ("checkins", "checkin", supporter.check_ins.get().pk),
        ("checkins", "digestsend", 1),
        ("checkins", "reminderlog", 1),
        ("wellbeing", "safetyplan", 1),
        ("wellbeing", "planperson", 1),
        ("wellbeing", "selfcheck", 1),
        ("sharing", "supporterconsent", 1),
        ("sharing", "planshare", 1),
        ("sharing", "supportask", 1),
        ("sharing", "askrecipient", 1),
        ("sharing", "sharingevent", 1),
    ]:
        for url in [
            f"/admin/{app_label}/{model_name}/",
            f"/admin/{app_label}/{model_name}/{pk}/change/",
            f"/admin/{app_label}/{model_name}/{pk}/history/",
            f"/admin/{app_label}/",
        ]:
            assert client.get(url).status_code in (403, 404), url
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "checkins", "model_name": "checkin", "field_name": "supporter", "term": "Secret"},
    )
    assert autocomplete.status_code in (403, 404)


def test_it_lets_a_superuser_open_every_admin_page(client, world):
    superuser = world["superuser"]
    world["login"](client, superuser)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    wrong = []
    for _label, view, url, model_admin in admin_pages(world):
        expected = 200
        if view == "add" and not model_admin.has_add_permission(request):
            expected = 403
        if view == "delete" and not model_admin.has_delete_permission(request):
            expected = 403
        status = client.get(url).status_code
        if status != expected:
            wrong.append(f"{url}: {status}, expected {expected}")
    assert not wrong, "\n".join(wrong)


def test_it_shows_the_site_s_own_pages_as_expected_to_each_kind_of_visitor(client, world):
    pages = {"/": 200, "/supporters/": 302, "/crisis/": 200, "/resources/": 200, "/accounts/settings/": 302}
    for path, status in pages.items():
        assert client.get(path).status_code == status, f"anonymous {path}"
    for person in ["owner", "moderator", "superuser"]:
        world["login"](client, world[person])
        for path in pages:
            assert client.get(path).status_code == 200, f"{person} {path}"


def test_it_never_shows_a_moderator_anyone_s_notes_or_supporters(client, world):
    world["login"](client, world["moderator"])
    owner = world["owner"].pk
    urls = [url for label, view, url, _ in admin_pages(world) if view in MODERATOR_MAY.get(label, set())]
    urls += [
        reverse("admin:index"),
        reverse("admin:accounts_user_history", args=[owner]),
        reverse("admin:accounts_user_deactivate", args=[owner]),
        reverse("admin:moderation_sitefigures_changelist"),
        # The site's own sharing pages show a moderator only their own (empty) world.
        reverse("sharing:home"),
        reverse("sharing:shared_with_me"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for secret in SECRETS:
            assert secret not in page, f"{secret} shown at {url}"
    # Searching for private text finds nobody (the page only echoes the search box).
    for changelist in ["admin:accounts_user_changelist", "admin:resources_resource_changelist"]:
        for secret in SECRETS:
            page = client.get(reverse(changelist), {"q": secret}).content.decode()
            assert "0 results" in page, f"{secret} found something in {changelist}"
    listing = client.get(reverse("admin:accounts_user_changelist") + "?q=Secret").content.decode()
    assert "owner@example.com" not in listing, "search looks at email addresses only"


@pytest.mark.parametrize(
    "lookup",
    [
        "supporters__notes__icontains",
        "supporters__name__startswith",
        "check_ins__note__contains",
        "supporters__check_ins__note__icontains",
    ],
)
def test_it_refuses_filters_that_could_guess_at_private_text(client, world, lookup):
    world["login"](client, world["moderator"])
    response = client.get(reverse("admin:accounts_user_changelist"), {lookup: "SECRET"})
    assert response.status_code == 400


PROBE_LOOKUPS = [
    "country=GB",
    "timezone=UTC",
    "reminder_hour=3",
    "next_digest_at__isnull=False",
    "email__regex=^a",
]


def lookups_outside_the_filters(model, model_admin):
    """For every field of the model: a lookup that no filter shown on its list writes."""
    listed = {getattr(item, "parameter_name", item) for item in model_admin.list_filter}
    lookups = []
    for field in model._meta.concrete_fields:
        lookups.append((f"{field.name}__regex", "."))
        if field.name not in listed and field.name != model_admin.date_hierarchy:
            lookups.append((field.name, "1"))
            lookups.append((f"{field.name}__isnull", "False"))
    return lookups


def filter_links(page):
    """The query strings of the filter choices a moderator can click on the list's page."""
    sidebar = page.split('id="changelist-filter"', 1)[-1]
    return sorted({link.replace("&amp;", "&") for link in re.findall(r'href="(\?[^"]+)"', sidebar)})


def test_it_lets_a_moderator_filter_a_list_only_by_the_filters_it_shows(client, world):
    """Every admin list a moderator can open refuses, with a 400, a lookup typed into the address that
    none of its filters writes; the filters it shows, its date bar and its search still work."""
    world["login"](client, world["moderator"])
    opened, wrong = [], []
    for _label, view, url, model_admin in admin_pages(world):
        if view != "changelist" or client.get(url).status_code != 200:
            continue
        opened.append(model_admin.model._meta.label_lower)
        page = client.get(url)
        is_a_list = "cl" in page.context
        without_token = partial(re.sub, r'name="csrfmiddlewaretoken" value="[^"]+"', "")
        for lookup, value in lookups_outside_the_filters(model_admin.model, model_admin):
            response = client.get(url, {lookup: value})
            if is_a_list and response.status_code != 400:
                wrong.append(f"{url}?{lookup}={value}: {response.status_code}")
            if not is_a_list and without_token(response.text) != without_token(page.text):
                wrong.append(f"{url}?{lookup}={value} changed a page that lists nothing")
        for query in filter_links(page.content.decode()) if is_a_list else []:
            if client.get(url + query).status_code != 200:
                wrong.append(f"{url}{query}: the page's own filter was refused")
    assert sorted(opened) == sorted(MODERATOR_MAY), "every list a moderator may open was probed"
    assert not wrong, "\n".join(wrong)

    users = reverse("admin:accounts_user_changelist")
    for probe in PROBE_LOOKUPS:
        assert client.get(f"{users}?{probe}").status_code == 400, probe
    assert client.get(f"{users}?is_active__exact=1&email_confirmed=yes&reminders=on").status_code == 200
    assert "owner@example.com" in client.get(users, {"q": "owner@"}).content.decode()
    year = world["owner"].date_joined.year
    assert "owner@example.com" in client.get(users, {"date_joined__year": year}).content.decode()


def test_it_lets_a_superuser_filter_by_any_field(client, world):
    world["login"](client, world["superuser"])
    users = reverse("admin:accounts_user_changelist")
    listing = client.get(f"{users}?country=GB").content.decode()
    assert "owner@example.com" in listing
    assert "moderator@example.com" not in listing


def test_it_shows_counts_never_contents_on_an_account(client, world):
    world["login"](client, world["moderator"])
    page = client.get(reverse("admin:accounts_user_change", args=[world["owner"].pk])).content.decode()
    assert re.search(r"supporters:</label>\s*<div class=\"readonly\">1</div>", page, re.IGNORECASE)
    assert re.search(r"check-ins:</label>\s*<div class=\"readonly\">1</div>", page, re.IGNORECASE)
    assert 'name="email"' not in page, "read only: no form to change the address"
    assert reverse("admin:auth_user_password_change", args=[world["owner"].pk]) not in page
    assert 'name="password' not in page
    assert "is_staff" not in page


@pytest.mark.parametrize("size", [2, 12])
def test_it_lists_accounts_in_constant_queries(client, world, django_assert_num_queries, size):
    for _ in range(size):
        SupporterFactory.create_batch(2)
    world["login"](client, world["moderator"])
    url = reverse("admin:accounts_user_changelist")
    client.get(url)
    with django_assert_num_queries(10):  # session, user, two-step check, permissions, counts, page, dates
        response = client.get(url)
    assert response.content.decode().count('<th class="field-email">') == User.objects.count()


def test_it_refuses_a_moderator_changing_an_email_a_password_or_staff_status(client, world):
    world["login"](client, world["moderator"])
    owner = world["owner"]
    response = client.post(
        reverse("admin:accounts_user_change", args=[owner.pk]),
        {"email": "stolen@example.com", "is_staff": "on", "is_superuser": "on"},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:auth_user_password_change", args=[owner.pk]),
        {"password1": "new long passphrase", "password2": "new long passphrase"},
    )
    assert response.status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    owner.refresh_from_db()
    assert owner.email == "owner@example.com"
    assert not owner.is_staff
    assert owner.check_password(PASSWORD)


def test_it_creates_the_moderators_group_with_exactly_its_permissions(db):
    Group.objects.filter(name="Moderators").delete()
    groups_migration.create_group(apps, None)
    group = Group.objects.get(name="Moderators")
    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert granted == set(MODERATOR_PERMISSIONS) == set(groups_migration.MODERATOR_PERMISSIONS)
    private = {"contacts", "checkins", "wellbeing", "auth", "admin", "mfa", "account"}
    assert not {app_label for app_label, _ in granted} & private
    assert not any(codename.startswith("delete_") for _, codename in granted)
    assert not any(
        app_label == "moderation" and "accountaction" in codename for app_label, codename in granted
    )


def deactivate(client, account, reason):
    return client.post(reverse("admin:accounts_user_deactivate", args=[account.pk]), {"reason": reason})


def reactivate(client, account, reason):
    return client.post(reverse("admin:accounts_user_reactivate", args=[account.pk]), {"reason": reason})


def test_it_requires_a_reason_to_deactivate(client, world, mailoutbox):
    world["login"](client, world["moderator"])
    response = deactivate(client, world["owner"], "   ")
    assert response.status_code == 200
    assert "Please give a reason" in response.content.decode()
    world["owner"].refresh_from_db()
    assert world["owner"].is_active
    assert not AccountAction.objects.filter(action=AccountActionKind.DEACTIVATE).exists()
    assert mailoutbox == []


def test_it_deactivates_an_account_with_a_reason_emails_the_person_and_signs_them_out(
    client, world, django_capture_on_commit_callbacks, mailoutbox
):
    owner = world["owner"]
    owner_client = type(client)()
    owner_client.force_login(owner)
    assert owner_client.get("/supporters/").status_code == 200

    world["login"](client, world["moderator"])
    page = client.get(reverse("admin:accounts_user_change", args=[owner.pk])).content.decode()
    assert reverse("admin:accounts_user_deactivate", args=[owner.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = deactivate(client, owner, "Several reports of spam sent from this account.")
    assert response.status_code == 302
    owner.refresh_from_db()
    assert not owner.is_active

    action = AccountAction.objects.get(action=AccountActionKind.DEACTIVATE)
    assert (action.actor, action.actor_email, action.account) == (
        world["moderator"],
        "moderator@example.com",
        owner,
    )
    assert action.reason == "Several reports of spam sent from this account."
    assert LogEntry.objects.filter(object_id=str(owner.pk), change_message="Deactivate account").exists()

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["owner@example.com"]
    assert "Several reports of spam" in mailoutbox[0].body
    assert "not an emergency service" in mailoutbox[0].body

    assert owner_client.get("/supporters/").status_code == 302, "the open session ends"
    response = owner_client.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_inactive")
    assert owner_client.get("/supporters/").status_code == 302


def test_it_reactivates_an_account_with_a_reason(
    client, world, django_capture_on_commit_callbacks, mailoutbox
):
    owner = world["owner"]
    owner.is_active = False
    owner.save()
    world["login"](client, world["moderator"])
    assert client.get(reverse("admin:accounts_user_deactivate", args=[owner.pk])).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = reactivate(client, owner, "They asked us to, and the reports were mistaken.")
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.is_active
    assert AccountAction.objects.filter(action=AccountActionKind.REACTIVATE, account=owner).exists()
    assert "active again" in mailoutbox[0].subject

    owner_client = type(client)()
    response = owner_client.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD})
    assert response.url == "/"


def test_it_keeps_moderators_off_staff_accounts_and_their_own(client, world):
    world["login"](client, world["moderator"])
    other_moderator = make_moderator("other.moderator@example.com")
    for account in [world["superuser"], other_moderator]:
        assert deactivate(client, account, "No.").status_code == 403
        page = client.get(reverse("admin:accounts_user_change", args=[account.pk])).content.decode()
        assert "deactivate/" not in page
    response = deactivate(client, world["moderator"], "Oops.")
    assert response.status_code == 403
    assert User.objects.filter(is_active=False).count() == 0


def test_it_lets_a_superuser_deactivate_a_moderator(client, world):
    world["login"](client, world["superuser"])
    assert deactivate(client, world["moderator"], "Left the team.").status_code == 302
    world["moderator"].refresh_from_db()
    assert not world["moderator"].is_active
    assert client.get(reverse("admin:index")).status_code == 200


def test_it_resends_the_confirmation_email(client, world, django_capture_on_commit_callbacks, mailoutbox):
    waiting = UserFactory(email="waiting@example.com", verified=False)
    world["login"](client, world["moderator"])
    page = client.get(reverse("admin:accounts_user_change", args=[waiting.pk])).content.decode()
    assert "Resend confirmation email" in page
    url = reverse("admin:accounts_user_resend_confirmation", args=[waiting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "They wrote in: the first email never came."})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["waiting@example.com"]
    assert "/accounts/confirm-email/" in mailoutbox[0].body
    assert AccountAction.objects.filter(
        action=AccountActionKind.RESEND_CONFIRMATION, account=waiting
    ).exists()

    confirmed_page = client.get(
        reverse("admin:accounts_user_change", args=[world["owner"].pk])
    ).content.decode()
    assert "Resend confirmation email" not in confirmed_page


def test_it_shows_the_audit_to_superusers_only(client, world):
    world["login"](client, world["moderator"])
    deactivate(client, world["owner"], "Audit me.")
    assert client.get(reverse("admin:moderation_accountaction_changelist")).status_code == 403
    assert client.get(reverse("admin:admin_logentry_changelist")).status_code == 403
    world["login"](client, world["superuser"])
    page = client.get(reverse("admin:moderation_accountaction_changelist")).content.decode()
    assert "Audit me." in page
    assert "moderator@example.com" in page
    page = client.get(reverse("admin:admin_logentry_changelist")).content.decode()
    assert "Deactivate account" in page


def test_it_lets_moderators_curate_the_directory_but_not_delete(client, world):
    world["login"](client, world["moderator"])
    response = client.post(
        reverse("admin:resources_resource_add"),
        {
            "name": "New Line",
            "kind": "crisis_line",
            "gives_emotional": "on",
            "country": "IE",
            "phone": "116 123",
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    line = Resource.objects.get(name="New Line")
    changelist = reverse("admin:resources_resource_changelist")
    client.post(changelist, {"action": "unpublish", "_selected_action": [line.pk]})
    line.refresh_from_db()
    assert not line.is_published
    client.post(changelist, {"action": "mark_verified_today", "_selected_action": [line.pk]})
    line.refresh_from_db()
    assert line.last_verified_on is not None
    assert (
        client.post(reverse("admin:resources_resource_delete", args=[line.pk]), {"post": "yes"}).status_code
        == 403
    )
    page = client.get(changelist).content.decode()
    assert 'value="delete_selected"' not in page
    assert LogEntry.objects.filter(object_id=str(line.pk), user=world["moderator"]).count() == 3


def test_it_sends_the_admin_sign_in_through_the_site_s_sign_in(client, world):
    response = client.get("/admin/")
    login = client.get(response.url)
    assert login.status_code == 302
    assert login.url == reverse("account_login") + "?next=%2Fadmin%2F"
    secret = set_up_two_step(world["moderator"])
    response = client.post(login.url, {"login": "moderator@example.com", "password": PASSWORD})
    assert response.url == reverse("mfa_authenticate"), "staff give their authenticator code too"
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "Site figures" in response.content.decode()


def test_it_makes_a_moderator_from_the_command_line(db, monkeypatch, capsys):
    monkeypatch.setenv("MODERATOR_PASSWORD", "a fresh moderator passphrase")
    call_command("create_moderator", "New.Mod@Example.com", "--no-input")
    moderator = User.objects.get(email="New.Mod@example.com")
    assert moderator.is_staff
    assert not moderator.is_superuser
    assert moderator.check_password("a fresh moderator passphrase")
    assert moderator.groups.filter(name="Moderators").exists()
    assert EmailAddress.objects.get(user=moderator).verified
    assert "Created moderator" in capsys.readouterr().out


def test_it_promotes_an_existing_account_without_touching_its_password(db, capsys):
    person = UserFactory(email="helper@example.com")
    call_command("create_moderator", "helper@example.com", "--no-input")
    person.refresh_from_db()
    assert person.is_staff
    assert person.check_password(PASSWORD)
    assert list(person.groups.values_list("name", flat=True)) == ["Moderators"]
    call_command("create_moderator", "helper@example.com", "--no-input")
    assert person.groups.count() == 1


def test_it_refuses_a_weak_password_for_a_new_moderator(db, monkeypatch):
    from django.core.management.base import CommandError

    monkeypatch.setenv("MODERATOR_PASSWORD", "short")
    with pytest.raises(CommandError):
        call_command("create_moderator", "weak@example.com", "--no-input")
    assert not User.objects.filter(email="weak@example.com").exists()


def test_it_counts_the_site_figures(client, world):
    from datetime import UTC, datetime, timedelta

    from checkins.models import CheckIn
    from moderation.figures import site_figures

    now = datetime(2026, 11, 25, 12, tzinfo=UTC)  # a Wednesday
    SupporterFactory(owner=world["owner"], gives_emotional=False, gives_peer=True)
    SupporterFactory(gives_emotional=True, gives_professional=True)
    SupporterFactory(gives_emotional=False, gives_informational=True, is_archived=True)
    CheckIn.objects.update(created_at=now - timedelta(days=1))
    earlier = CheckInFactory(supporter=world["supporter"])
    CheckIn.objects.filter(pk=earlier.pk).update(created_at=now - timedelta(weeks=1))
    User.objects.update(date_joined=now - timedelta(weeks=30))
    for weeks_ago, count in [(0, 2), (1, 1), (3, 3)]:
        for _ in range(count):
            UserFactory(date_joined=now - timedelta(weeks=weeks_ago))

    figures = site_figures(now=now)
    weeks = figures["weeks"]
    assert len(weeks) == 12
    assert weeks[-1]["week"].isoformat() == "2026-11-23"
    assert [week["sign_ups"] for week in weeks[-4:]] == [3, 0, 1, 2]
    assert [week["active"] for week in weeks[-2:]] == [1, 1]
    by_type = {row["type"].value: row["count"] for row in figures["support_types"]["by_type"]}
    assert by_type == {"emotional": 2, "informational": 0, "instrumental": 0, "peer": 1, "professional": 1}
    assert figures["support_types"]["anyone"] == 2
    assert figures["accounts"]["total"] == User.objects.count()
    assert figures["digests"] is None or len(figures["digests"]) == 14


@pytest.mark.parametrize("size", [1, 15])
def test_it_computes_the_site_figures_in_constant_queries(client, world, django_assert_num_queries, size):
    for _ in range(size):
        CheckInFactory(supporter=SupporterFactory(gives_peer=True))
    world["login"](client, world["moderator"])
    url = reverse("admin:moderation_sitefigures_changelist")
    client.get(url)
    with django_assert_num_queries(11):
        page = client.get(url).content.decode()
    assert "People with at least one supporter giving each type of support" in page
    for secret in SECRETS:
        assert secret not in page


def test_it_runs_the_whole_moderator_story(
    client, db, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    """Done when: a moderator made with the command signs in, deactivates and reactivates an account with
    a reason, adds a crisis line that appears on the crisis page of a person in that country, reads the
    site figures, and is refused every page holding private data."""
    person = UserFactory(email="person@example.com", country="IE")
    supporter = SupporterFactory(owner=person, notes="SECRET-SUPPORTER-NOTE")
    monkeypatch.setenv("MODERATOR_PASSWORD", "the moderator's own passphrase")
    call_command("create_moderator", "mod@example.com", "--no-input")
    secret = set_up_two_step(User.objects.get(email="mod@example.com"))

    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": "mod@example.com", "password": "the moderator's own passphrase"},
    )
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"

    with django_capture_on_commit_callbacks(execute=True):
        assert deactivate(client, person, "Testing the moderation flow.").status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    with django_capture_on_commit_callbacks(execute=True):
        assert reactivate(client, person, "Test finished.").status_code == 302
    person.refresh_from_db()
    assert person.is_active
    assert [message.to for message in mailoutbox] == [["person@example.com"], ["person@example.com"]]

    response = client.post(
        reverse("admin:resources_resource_add"),
        {
            "name": "Pieta Test Line",
            "kind": "crisis_line",
            "gives_emotional": "on",
            "country": "IE",
            "phone": "1800 000 000",
            "is_published": "on",
        },
    )
    assert response.status_code == 302

    assert client.get(reverse("admin:moderation_sitefigures_changelist")).status_code == 200
    for url in [
        f"/admin/contacts/supporter/{supporter.pk}/change/",
        "/admin/contacts/supporter/",
        "/admin/checkins/checkin/",
        "/admin/moderation/accountaction/",
    ]:
        assert client.get(url).status_code in (403, 404), url

    person_client = type(client)()
    person_client.force_login(person)
    assert "Pieta Test Line" in person_client.get(reverse("dashboard:crisis")).content.decode()
    elsewhere = UserFactory(country="FR")
    person_client.force_login(elsewhere)
    assert "Pieta Test Line" not in person_client.get(reverse("dashboard:crisis")).content.decode()


def test_it_counts_reminder_digests_sent_and_failed_per_day(db):
    """Against the check-ins app's `Digest` record once it is merged; until then the figure says so."""
    from datetime import UTC, date, datetime

    from moderation.figures import digests_per_day

    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    try:
        digest = apps.get_model("checkins", "Digest")
    except LookupError:
        assert digests_per_day(now=now) is None
        return
    for status, day in [("sent", 25), ("sent", 25), ("failed", 25), ("sent", 24), ("queued", 24)]:
        digest.objects.create(
            user=UserFactory(), scheduled_on=date(2026, 11, day), status=status, queued_at=now
        )
    figures = digests_per_day(now=now)
    assert len(figures) == 14
    assert figures[-1] == {"day": date(2026, 11, 25), "sent": 2, "failed": 1}
    assert figures[-2] == {"day": date(2026, 11, 24), "sent": 1, "failed": 0}


def test_it_asks_for_the_new_moderator_s_password_twice(db, monkeypatch, capsys):
    answers = iter(
        ["one long passphrase", "another long phrase", "the agreed passphrase", "the agreed passphrase"]
    )
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    call_command("create_moderator", "asked@example.com")
    assert User.objects.get(email="asked@example.com").check_password("the agreed passphrase")
    assert "did not match" in capsys.readouterr().err


def test_it_stops_and_restarts_reminders_with_the_account(world):
    """The reminder sweep only reads active people; the check-ins app recomputes on `is_active`."""
    from moderation import services

    owner = world["owner"]
    services.account_deactivate(actor=world["moderator"], account=owner, reason="Paused.")
    owner.refresh_from_db()
    assert owner.next_digest_at is None
    services.account_reactivate(actor=world["moderator"], account=owner, reason="Back.")
    owner.refresh_from_db()
    assert owner.next_digest_at is not None
