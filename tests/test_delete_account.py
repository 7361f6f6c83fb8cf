"""Delete my account: password (and two-step code) re-entry, then nothing of the person remains."""

import datetime

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models.deletion import Collector
from django.urls import reverse

from accounts.models import User
from checkins.models import Digest, UsedActionToken
from privacy import services
from privacy.models import CalendarFeed
from tests.factories import CheckInFactory, SupporterFactory, UserFactory
from tests.test_two_factor import PASSWORD, sign_in, totp_code
from wellbeing.models import PlanPerson, SafetyPlan, SelfCheck

URL = reverse("privacy:delete_account")
NOW = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)


def fill_account(user):
    """One row of every kind a person can own."""
    supporter = SupporterFactory(owner=user, notes="private")
    CheckInFactory(supporter=supporter, note="private too")
    plan = SafetyPlan.objects.create(owner=user, warning_signs="Not sleeping")
    PlanPerson.objects.create(plan=plan, supporter=supporter, step=4)
    SelfCheck.objects.create(
        owner=user,
        month_on=datetime.date(2026, 11, 1),
        taken_at=NOW,
        lacks_companionship=1,
        feels_left_out=1,
        feels_isolated=1,
        relatives_in_contact=1,
        relatives_to_talk_to=1,
        relatives_to_call_on=1,
        friends_in_contact=1,
        friends_to_talk_to=1,
        friends_to_call_on=1,
    )
    services.calendar_feed_renew(user=user)
    services.import_start(
        owner=user, file_name="c.vcf", raw=b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jo\r\nEND:VCARD\r\n", now=NOW
    )
    user.groups.add(Group.objects.create(name="readers"))
    Digest.objects.create(user=user, scheduled_on=NOW.date(), queued_at=NOW, supporter_count=1)
    UsedActionToken.objects.create(digest="a" * 64, user=user, action="snooze", used_at=NOW)
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr=user.email,
        action_flag=ADDITION,
    )


def rows_referring_to(user):
    """Every row in any table with a foreign key (or one-to-one) to this user, by model."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is User:
                count = model._default_manager.filter(**{field.name: user.pk}).count()
                if count:
                    found[f"{model._meta.label}.{field.name}"] = count
    return found


def sessions_of(user):
    return [
        session
        for session in Session.objects.all()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]


def everything_related(user):
    """Every row that deleting the user reaches, directly or through other rows (Django's collector)."""
    collector = Collector(using="default")
    collector.collect([user])
    related = [(model, [obj.pk for obj in objects]) for model, objects in collector.data.items()]
    related += [
        (queryset.model, list(queryset.values_list("pk", flat=True))) for queryset in collector.fast_deletes
    ]
    return [(model, pks) for model, pks in related if pks]


@pytest.fixture
def signed_in(client, user):
    sign_in(client, user.email)
    return client


def test_it_shows_the_page_to_the_owner(signed_in):
    response = signed_in.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Your password" in content
    assert "authenticator" not in content.lower()
    assert "no-store" in response["Cache-Control"]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_deletes_the_account_and_every_row_that_referred_to_it(signed_in, user, other_user):
    fill_account(user)
    fill_account_of_other = SupporterFactory(owner=other_user)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    assert UserSession.objects.filter(user=user).exists()
    assert sessions_of(user)
    before = everything_related(user)
    assert len(before) >= 14, [model._meta.label for model, _ in before]
    assert rows_referring_to(user)

    response = signed_in.post(URL, {"password": PASSWORD, "code": totp_code(secret)})

    assert response.status_code == 200
    assert "Your account is deleted" in response.content.decode()
    assert not User.objects.filter(pk=user.pk).exists()
    assert rows_referring_to(user) == {}
    for model, pks in before:
        assert not model._base_manager.filter(pk__in=pks).exists(), model._meta.label
    assert sessions_of(user) == []
    assert not LogEntry.objects.filter(object_id=str(user.pk), content_type__model="user").exists()
    assert not CalendarFeed.objects.exists()
    # The other person keeps everything.
    assert User.objects.filter(pk=other_user.pk).exists()
    assert fill_account_of_other.__class__.objects.filter(pk=fill_account_of_other.pk).exists()
    # And this browser is signed out.
    assert signed_in.get(reverse("accounts:settings")).status_code == 302


def test_it_signs_out_the_persons_other_sessions(client, user, django_user_model):
    from django.test import Client

    elsewhere = Client()
    sign_in(elsewhere, user.email)
    sign_in(client, user.email)
    assert len(sessions_of(user)) == 2
    client.post(URL, {"password": PASSWORD})
    assert sessions_of(user) == []
    assert elsewhere.get(reverse("accounts:settings")).status_code == 302


def test_a_wrong_password_deletes_nothing(signed_in, user):
    fill_account(user)
    response = signed_in.post(URL, {"password": "not my password"})
    assert response.status_code == 200
    assert "That password is not right" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_it_asks_for_the_two_step_code_when_it_is_on(signed_in, user):
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    assert "Code from your authenticator app" in signed_in.get(URL).content.decode()
    response = signed_in.post(URL, {"password": PASSWORD})
    assert "Enter the code from your authenticator app" in response.content.decode()
    response = signed_in.post(URL, {"password": PASSWORD, "code": "000000"})
    assert "That code is not right" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_a_recovery_code_also_confirms(signed_in, user):
    TOTP.activate(user, generate_totp_secret())
    codes = RecoveryCodes.activate(user).get_unused_codes()
    signed_in.post(URL, {"password": PASSWORD, "code": codes[0]})
    assert not User.objects.filter(pk=user.pk).exists()


def test_it_stops_after_five_wrong_tries(signed_in, user):
    for _ in range(5):
        signed_in.post(URL, {"password": "wrong"})
    response = signed_in.post(URL, {"password": PASSWORD})
    assert "Too many wrong tries" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_only_a_post_deletes(signed_in, user):
    signed_in.get(URL, {"password": PASSWORD})
    assert User.objects.filter(pk=user.pk).exists()


def test_the_service_removes_a_user_with_nothing_in_it(db):
    person = UserFactory()
    services.account_delete(user=person)
    assert rows_referring_to(person) == {}
