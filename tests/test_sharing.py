"""Let my people help: supporters who agree, asks for support, plan shares, and what they leak (nothing)."""

import datetime
import re
from urllib.parse import parse_qs, unquote, urlparse

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from checkins.models import CheckIn, CheckInKind
from privacy import services as privacy_services
from privacy.exports import export_everything
from sharing import links, services
from sharing.models import (
    AskRecipient,
    ConsentStatus,
    DeliveryStatus,
    PlanShare,
    SharingEvent,
    SupportAsk,
    SupporterConsent,
)
from supportnet.celery import app as celery_app
from tests.factories import CheckInFactory, SupporterFactory, UserFactory
from tests.sharing_helpers import make_ask, make_consent, make_share
from wellbeing.models import PlanPerson, PlanStep, SafetyPlan


@pytest.fixture
def run_tasks_now(django_capture_on_commit_callbacks):
    """`with run_tasks_now(): ...`: the Celery tasks queued after the commit run in this process at the
    end of the block, through the real SMTP inbox."""
    celery_app.conf.task_always_eager = True
    yield lambda: django_capture_on_commit_callbacks(execute=True)
    celery_app.conf.task_always_eager = False


def consent_token(consent):
    consent.refresh_from_db()
    return services.consent_token_make(consent)


def consent_page(consent):
    return reverse("sharing:consent", args=[consent_token(consent)])


def link_in(body):
    """The consent the email's link is about (tokens carry a timestamp, so compare what they open)."""
    token = re.search(r"/helping/([^/\s]+)/", body).group(1)
    return services.consent_from_token(token)


def events(owner):
    return list(SharingEvent.objects.filter(owner=owner).order_by("id").values_list("kind", "supporter_name"))


# --- Inviting, agreeing, withdrawing -------------------------------------------------------------


def test_it_invites_a_supporter_with_one_email_that_says_who_asked_why_and_how_to_stop(
    owner_client, user, inbox, run_tasks_now
):
    supporter = SupporterFactory(owner=user, name="Sam")
    with run_tasks_now():
        response = owner_client.post(
            reverse("sharing:invite"),
            {"supporter": supporter.pk, "email": "sam@example.net", "from_name": "Alex"},
        )
    assert response.status_code == 302
    [message] = inbox.wait_for(1)
    assert message["To"] == "sam@example.net"
    body = message.get_body(("plain",)).get_content()
    assert "Alex" in message["Subject"]
    assert "Why you are getting this" in body
    assert "We will not email you again unless you say yes" in body
    consent = SupporterConsent.objects.get(supporter=supporter)
    assert consent.status == ConsentStatus.INVITED
    assert link_in(body) == consent
    assert events(user) == [("invited", "Sam")]


def test_it_refuses_to_invite_someone_else_s_supporter_and_changes_nothing(owner_client, other_user, inbox):
    theirs = SupporterFactory(owner=other_user)
    response = owner_client.post(
        reverse("sharing:invite"), {"supporter": theirs.pk, "email": "x@example.net", "from_name": "Alex"}
    )
    assert response.status_code == 400
    assert "Please choose someone from your own network." in response.content.decode()
    assert not SupporterConsent.objects.exists()
    assert inbox.messages == []


def test_it_limits_invitations_a_day(user, settings):
    now = timezone.now()
    for number in range(services.INVITES_PER_DAY):
        supporter = SupporterFactory(owner=user)
        services.consent_invite(
            owner=user, supporter_id=supporter.pk, email=f"s{number}@example.net", from_name="A", now=now
        )
    one_more = SupporterFactory(owner=user)
    with pytest.raises(services.SharingRefused, match="a lot of invitations today"):
        services.consent_invite(
            owner=user, supporter_id=one_more.pk, email="x@example.net", from_name="A", now=now
        )
    assert not SupporterConsent.objects.filter(supporter=one_more).exists()


def test_it_never_invites_again_someone_who_said_no(user):
    consent = make_consent(user, status=ConsentStatus.DECLINED)
    with pytest.raises(services.SharingRefused, match="will not ask them again"):
        services.consent_invite(
            owner=user,
            supporter_id=consent.supporter_id,
            email=consent.email,
            from_name="A",
            now=timezone.now(),
        )


def test_a_supporter_agrees_without_an_account_and_sets_their_boundaries(client, user):
    consent = make_consent(user, status=ConsentStatus.INVITED)
    page = client.get(consent_page(consent))
    assert page.status_code == 200
    assert "Alex would like your support" in page.content.decode()
    response = client.post(
        consent_page(consent),
        {
            "answer": "agree",
            "how_to_ask": "Text first, I'll call back",
            "quiet_from": "22:00",
            "quiet_until": "07:30",
            "timezone": "Europe/Paris",
            "most_asks_per_week": "2",
        },
    )
    assert response.status_code == 200
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.AGREED
    assert consent.how_to_ask == "Text first, I'll call back"
    assert (consent.quiet_from, consent.quiet_until) == (datetime.time(22), datetime.time(7, 30))
    assert consent.most_asks_per_week == 2
    assert events(user) == [("agreed", consent.supporter.name)]
    # 23:00 in Paris is quiet; noon is not.
    assert consent.is_quiet_at(datetime.datetime(2026, 6, 1, 21, 0, tzinfo=datetime.UTC))
    assert not consent.is_quiet_at(datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC))


def test_half_a_quiet_time_gets_a_clear_error_and_changes_nothing(client, user):
    consent = make_consent(user, status=ConsentStatus.INVITED)
    response = client.post(
        consent_page(consent), {"answer": "agree", "quiet_from": "22:00", "timezone": "UTC"}
    )
    assert response.status_code == 400
    assert "Please give both ends of your quiet hours" in response.content.decode()
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.INVITED


def test_withdrawing_ends_the_share_the_queued_emails_and_the_old_links(client, user):
    share = make_share(user, email="sam@example.net")
    consent = share.consent
    support_ask = make_ask(user)
    queued = AskRecipient.objects.create(
        ask=support_ask, supporter=consent.supporter, by_email=True, status=DeliveryStatus.QUEUED
    )
    old_link = consent_page(consent)
    assert client.post(old_link, {"answer": "stop"}).status_code == 200
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.WITHDRAWN
    assert not PlanShare.objects.exists()
    queued.refresh_from_db()
    assert queued.status == DeliveryStatus.SKIPPED
    assert [kind for kind, _ in events(user)] == ["withdrew", "revoked"]
    # The link that withdrew cannot agree again.
    again = client.post(old_link, {"answer": "agree", "timezone": "UTC"})
    assert again.status_code == 400
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.WITHDRAWN


@pytest.mark.parametrize(
    ("make_link", "message"),
    [
        (lambda consent: "forged-token", "This link is not valid"),
        (lambda consent: services.consent_token_make(consent)[:-3] + "abc", "This link is not valid"),
        (
            lambda consent: __import__("django.core.signing").core.signing.dumps(
                {"c": consent.pk, "n": "guessed"}, salt=services.CONSENT_SALT
            ),
            "no longer works",
        ),
    ],
)
def test_a_forged_consent_link_gets_a_clear_error_and_changes_nothing(client, user, make_link, message):
    consent = make_consent(user, status=ConsentStatus.INVITED)
    url = reverse("sharing:consent", args=[make_link(consent)])
    for response in [client.get(url), client.post(url, {"answer": "agree", "timezone": "UTC"})]:
        assert response.status_code == 400
        assert message in response.content.decode()
        assert "Nothing was changed" in response.content.decode()
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.INVITED


def test_an_expired_consent_link_gets_a_clear_error_and_changes_nothing(client, user):
    consent = make_consent(user, status=ConsentStatus.INVITED)
    url = consent_page(consent)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        response = client.post(url, {"answer": "agree", "timezone": "UTC"})
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.INVITED


# --- Asking for support ---------------------------------------------------------------------------


def ask_form(client, kind="emotional"):
    page = client.get(reverse("sharing:ask"), {"kind": kind})
    assert page.status_code == 200
    return re.search(r'name="form_key" value="([0-9a-f]+)"', page.content.decode()).group(1), page


def test_the_ask_lists_only_people_who_give_that_kind_of_support_with_their_boundaries(owner_client, user):
    listener = SupporterFactory(owner=user, name="Listener", gives_emotional=True)
    SupporterFactory(owner=user, name="Driver", gives_emotional=False, gives_instrumental=True)
    make_consent(
        user, supporter=listener, email="l@example.net", how_to_ask="Call after six", most_asks_per_week=3
    )
    _, page = ask_form(owner_client)
    html = page.content.decode()
    assert "Listener" in html and "Driver" not in html
    assert "Call after six" in html and "At most 3 asks a week" in html
    _, lift = ask_form(owner_client, "instrumental")
    assert "Driver" in lift.content.decode() and "Listener" not in lift.content.decode()


def test_an_ask_is_logged_once_as_a_check_in_asked_for_support(owner_client, user, inbox):
    user.country = "GB"
    user.save()
    supporter = SupporterFactory(owner=user, name="Sam", phone="07700 900123")
    key, _ = ask_form(owner_client)
    data = {"kind": "emotional", "message": "Could you call me?", "people": [supporter.pk], "form_key": key}
    first = owner_client.post(reverse("sharing:ask"), data)
    again = owner_client.post(reverse("sharing:ask"), data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    [check_in] = CheckIn.objects.filter(owner=user)
    assert check_in.kind == CheckInKind.ASKED_FOR_SUPPORT
    assert check_in.initiated_by == "me" and check_in.supporter == supporter
    supporter.refresh_from_db()
    assert supporter.last_check_in_at == check_in.happened_at  # due moments recomputed
    assert SupportAsk.objects.count() == 1
    assert events(user) == [("asked", "Sam")]
    assert inbox.messages == []  # sent from the person's own phone: SupportNet emails nobody
    sent_page = owner_client.get(first["Location"]).content.decode()
    assert "sms:+447700900123?body=Could%20you%20call%20me%3F" in sent_page


def test_asking_about_someone_else_s_supporter_gets_a_clear_error_and_changes_nothing(
    owner_client, user, other_user
):
    SupporterFactory(owner=user)
    theirs = SupporterFactory(owner=other_user)
    key, _ = ask_form(owner_client)
    for field in ["people", "by_email"]:
        response = owner_client.post(
            reverse("sharing:ask"),
            {"kind": "emotional", "message": "Hi", field: [theirs.pk], "form_key": key},
        )
        assert response.status_code == 400
        assert "own network" in response.content.decode() or "agreed" in response.content.decode()
    assert not SupportAsk.objects.exists() and not CheckIn.objects.exists()


def test_supportnet_never_emails_a_supporter_who_has_not_agreed(owner_client, user, inbox, run_tasks_now):
    invited = make_consent(user, status=ConsentStatus.INVITED, email="invited@example.net")
    key, _ = ask_form(owner_client)
    with run_tasks_now():
        response = owner_client.post(
            reverse("sharing:ask"),
            {"kind": "emotional", "message": "Hi", "by_email": [invited.supporter_id], "form_key": key},
        )
    assert response.status_code == 400
    assert not SupportAsk.objects.exists()
    # Even a recipient queued by mistake is checked again just before sending.
    support_ask = make_ask(user)
    recipient = AskRecipient.objects.create(
        ask=support_ask, supporter=invited.supporter, by_email=True, status=DeliveryStatus.QUEUED
    )
    assert services.ask_email_send(recipient_id=recipient.pk, now=timezone.now()) is False
    recipient.refresh_from_db()
    assert recipient.status == DeliveryStatus.SKIPPED
    assert inbox.messages == []  # the tasks ran when the block ended, and a send returns once delivered


def test_supportnet_emails_a_supporter_who_agreed_saying_who_asked_why_and_how_to_stop(
    owner_client, user, inbox, run_tasks_now
):
    consent = make_consent(user, email="sam@example.net")
    key, _ = ask_form(owner_client)
    with run_tasks_now():
        response = owner_client.post(
            reverse("sharing:ask"),
            {
                "kind": "emotional",
                "message": "Could you listen tonight?",
                "by_email": [consent.supporter_id],
                "form_key": key,
            },
        )
    assert response.status_code == 302
    [message] = inbox.wait_for(1)
    body = message.get_body(("plain",)).get_content()
    assert message["To"] == "sam@example.net"
    assert message["Subject"] == "Alex could use some support"
    assert "Could you listen tonight?" in body
    assert "Why you are getting this: you agreed" in body
    assert link_in(body) == consent
    recipient = AskRecipient.objects.get()
    assert recipient.status == DeliveryStatus.SENT
    assert [kind for kind, _ in events(user)] == ["asked", "emailed"]
    assert CheckIn.objects.get().channel == "email"


def test_an_smtp_failure_puts_the_ask_email_back_in_the_queue(user, inbox):
    consent = make_consent(user)
    support_ask = make_ask(user)
    recipient = AskRecipient.objects.create(
        ask=support_ask, supporter=consent.supporter, by_email=True, status=DeliveryStatus.QUEUED
    )
    inbox.refuse_next = 1
    with pytest.raises(services.AskNotDelivered):
        services.ask_email_send(recipient_id=recipient.pk, now=timezone.now())
    recipient.refresh_from_db()
    assert (recipient.status, recipient.attempts) == (DeliveryStatus.QUEUED, 1)
    assert services.ask_email_send(recipient_id=recipient.pk, now=timezone.now()) is True
    assert services.ask_email_send(recipient_id=recipient.pk, now=timezone.now()) is False  # once
    assert len(inbox.wait_for(1)) == 1


def test_supportnet_stops_emailing_at_the_supporter_s_weekly_limit(user):
    consent = make_consent(user, most_asks_per_week=1)
    now = timezone.now()

    def ask_by_email(key, when):
        return services.ask_create(
            owner=user,
            support_type="emotional",
            message="Hi",
            supporter_ids=[],
            email_ids=[consent.supporter_id],
            form_key=key,
            now=when,
        )

    week_ago = now - datetime.timedelta(days=7)
    ask_by_email("a", week_ago - datetime.timedelta(minutes=1))
    with pytest.raises(services.SharingRefused, match="as many asks this week"):
        ask_by_email("b", week_ago)
    ask_by_email("c", now)  # a week after the first, they may be emailed again
    assert SupportAsk.objects.count() == 2


def test_it_limits_asks_an_hour(user):
    supporter = SupporterFactory(owner=user)
    now = timezone.now()
    for number in range(services.ASKS_PER_HOUR):
        services.ask_create(
            owner=user,
            support_type="emotional",
            message="Hi",
            supporter_ids=[supporter.pk],
            email_ids=[],
            form_key=f"k{number}",
            now=now,
        )
    with pytest.raises(services.SharingRefused, match="several times in the last hour"):
        services.ask_create(
            owner=user,
            support_type="emotional",
            message="Hi",
            supporter_ids=[supporter.pk],
            email_ids=[],
            form_key="one-more",
            now=now,
        )
    assert SupportAsk.objects.count() == services.ASKS_PER_HOUR


@pytest.mark.parametrize(
    ("phone", "country", "expected"),
    [
        ("07700 900123", "GB", "+447700900123"),
        ("+44 (0)7700-900123", "", "+447700900123"),
        ("0044 7700 900123", "FR", "+447700900123"),
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("12", "GB", None),
        ("", "GB", None),
    ],
)
def test_phone_numbers_are_normalised_for_the_links(phone, country, expected):
    assert links.phone_e164(phone, country=country) == expected


def test_the_prefilled_links_carry_the_message_encoded():
    message = "Hi & hello? 100% — could you call?\nThanks"
    sms = links.sms_link("07700 900123", message, country="GB")
    assert sms.startswith("sms:+447700900123?body=")
    assert unquote(sms.split("body=", 1)[1]) == message
    whatsapp = urlparse(links.whatsapp_link("07700 900123", message, country="GB"))
    assert (whatsapp.netloc, whatsapp.path) == ("wa.me", "/447700900123")
    assert parse_qs(whatsapp.query)["text"] == [message]
    mailto = urlparse(links.mailto_link("sam@example.net", message, subject="Could you help?"))
    assert mailto.path == "sam@example.net"
    assert parse_qs(mailto.query) == {"subject": ["Could you help?"], "body": [message]}
    # Without the person's country a national number can still be texted from their phone, not WhatsApped.
    assert links.sms_link("07700 900123", "Hi", country="") == "sms:07700900123?body=Hi"
    assert links.whatsapp_link("07700 900123", "Hi", country="") is None
    assert "+" not in mailto.query  # spaces are %20: mail apps show a "+" as it is


# --- Sharing the crisis plan ----------------------------------------------------------------------


@pytest.fixture
def supporter_account(db):
    return UserFactory(email="sam@example.net")


def test_a_supporter_with_a_share_sees_the_plan_and_nothing_else_of_the_person_s(
    client, user, supporter_account
):
    share = make_share(user, email="Sam@Example.net", plan_words="SECRET-PLAN-WORDS")
    plan = SafetyPlan.objects.get(owner=user)
    named = SupporterFactory(owner=user, name="Named Helper", phone="07700 900999", notes="SECRET-NOTE")
    person = PlanPerson.objects.create(plan=plan, supporter=named, step=PlanStep.HELP)
    check_in = CheckInFactory(supporter=named, note="SECRET-CHECK-IN")
    support_ask = make_ask(user)
    client.force_login(supporter_account)

    page = client.get(reverse("sharing:shared_plan", args=[share.pk])).content.decode()
    assert "SECRET-PLAN-WORDS" in page and "Named Helper" in page
    assert "07700 900999" not in page and "SECRET-NOTE" not in page
    assert "Alex" in client.get(reverse("sharing:shared_with_me")).content.decode()

    for url in [
        reverse("contacts:detail", args=[named.pk]),
        reverse("contacts:edit", args=[named.pk]),
        reverse("checkins:edit", args=[check_in.pk]),
        reverse("sharing:ask_sent", args=[support_ask.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("wellbeing:plan_told", args=[person.pk]), {"told": "yes"}).status_code == 404
    assert client.post(reverse("sharing:stop_sharing", args=[share.consent_id])).status_code == 404
    # Their own pages show their own (empty) world, never the person's.
    for url in ["/", reverse("wellbeing:plan"), reverse("contacts:list"), reverse("checkins:list")]:
        body = client.get(url).content.decode()
        assert "SECRET" not in body and "Named Helper" not in body, url


def test_the_plan_shown_is_always_the_current_one(client, user, supporter_account):
    share = make_share(user, email="sam@example.net", plan_words="First words")
    client.force_login(supporter_account)
    SafetyPlan.objects.filter(owner=user).update(warning_signs="Second words")
    SafetyPlan.objects.get(owner=user).save()  # re-encrypt through the model
    plan = SafetyPlan.objects.get(owner=user)
    plan.warning_signs = "Second words"
    plan.save()
    assert "Second words" in client.get(reverse("sharing:shared_plan", args=[share.pk])).content.decode()


def test_revoking_takes_effect_on_the_next_request(client, user, supporter_account):
    share = make_share(user, email="sam@example.net")
    url = reverse("sharing:shared_plan", args=[share.pk])
    client.force_login(supporter_account)
    assert client.get(url).status_code == 200
    client.force_login(user)
    assert client.post(reverse("sharing:stop_sharing", args=[share.consent_id])).status_code == 302
    client.force_login(supporter_account)
    response = client.get(url)
    assert response.status_code == 404
    assert "This share has ended" in response.content.decode()
    assert "SECRET-PLAN-WORDS" not in response.content.decode()
    assert [kind for kind, _ in events(user)] == ["revoked"]


def test_only_a_confirmed_address_that_agreed_opens_a_share(client, user):
    share = make_share(user, email="sam@example.net")
    unconfirmed = UserFactory(email="sam@example.net", verified=False)
    client.force_login(unconfirmed)
    assert client.get(reverse("sharing:shared_plan", args=[share.pk])).status_code == 404
    confirmed = UserFactory(email="other@example.net")
    client.force_login(confirmed)
    assert client.get(reverse("sharing:shared_plan", args=[share.pk])).status_code == 404
    SupporterConsent.objects.filter(pk=share.consent_id).update(email="other@example.net", status="withdrawn")
    assert client.get(reverse("sharing:shared_plan", args=[share.pk])).status_code == 404


def test_sharing_needs_the_supporter_s_agreement(owner_client, user):
    consent = make_consent(user, status=ConsentStatus.INVITED)
    response = owner_client.post(reverse("sharing:share_plan", args=[consent.pk]), follow=True)
    assert "needs to agree first" in response.content.decode()
    assert not PlanShare.objects.exists()
    SupporterConsent.objects.filter(pk=consent.pk).update(status=ConsentStatus.AGREED)
    owner_client.post(reverse("sharing:share_plan", args=[consent.pk]))
    page = owner_client.get(reverse("sharing:home")).content.decode()
    assert "Can see your crisis plan" in page and "Stop sharing my plan" in page
    assert [kind for kind, _ in events(user)] == ["shared"]


def test_deleting_the_account_ends_every_share_and_tells_no_one(
    client, user, supporter_account, inbox, run_tasks_now
):
    share = make_share(user, email="sam@example.net")
    with run_tasks_now():  # anything queued for after the commit is sent before the block ends
        privacy_services.account_delete(user=user)
    assert not PlanShare.objects.exists() and not SupporterConsent.objects.exists()
    client.force_login(supporter_account)
    response = client.get(reverse("sharing:shared_plan", args=[share.pk]))
    assert response.status_code == 404
    assert "This share has ended" in response.content.decode()
    assert "Nobody has shared" in client.get(reverse("sharing:shared_with_me")).content.decode()
    assert inbox.messages == []


def test_the_export_has_every_invitation_ask_and_event(user):
    consent = make_consent(user, how_to_ask="Text first")
    services.plan_share_start(owner=user, consent_id=consent.pk, now=timezone.now())
    services.ask_create(
        owner=user,
        support_type="emotional",
        message="Could you call?",
        supporter_ids=[consent.supporter_id],
        email_ids=[],
        form_key="k",
        now=timezone.now(),
    )
    section = export_everything(user=user)["asking_and_sharing"]
    [invited] = section["supporters_who_were_invited"]
    assert invited["how_they_like_to_be_asked"] == "Text first" and invited["can_see_my_crisis_plan"]
    assert section["asks"][0]["message"] == "Could you call?"
    assert [event["what"] for event in section["history"]] == ["asked", "shared"]


# --- Every new page: owner, outsider, anonymous; constant queries --------------------------------

OWNER_PAGES = ["sharing:home", "sharing:ask", "sharing:shared_with_me"]


@pytest.mark.parametrize("name", OWNER_PAGES)
def test_the_pages_send_anonymous_visitors_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "name",
    [
        "sharing:invite",
        "sharing:share_plan",
        "sharing:stop_sharing",
        "sharing:ask_sent",
        "sharing:shared_plan",
    ],
)
def test_the_object_pages_send_anonymous_visitors_to_sign_in(client, user, name):
    kwargs = {}
    if name in ("sharing:share_plan", "sharing:stop_sharing"):
        kwargs = {"consent_id": make_consent(user).pk}
    elif name == "sharing:ask_sent":
        kwargs = {"ask_id": make_ask(user).pk}
    elif name == "sharing:shared_plan":
        kwargs = {"share_id": make_share(user, email="sam@example.net").pk}
    response = client.post(reverse(name, kwargs=kwargs))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_outsider_sees_none_of_the_person_s_people_on_their_own_pages(outsider_client, user):
    consent = make_consent(user, how_to_ask="SECRET-HOW")
    make_ask(user, message="SECRET-ASK")
    for name in OWNER_PAGES:
        body = outsider_client.get(reverse(name)).content.decode()
        assert consent.supporter.name not in body and "SECRET" not in body


@pytest.mark.parametrize("name", ["sharing:home", "ask"])
def test_the_pages_read_in_constant_queries(owner_client, user, django_assert_num_queries, name):
    def grow(count):
        for _ in range(count):
            consent = make_consent(user, email=f"{SupporterConsent.objects.count()}@example.net")
            services.plan_share_start(owner=user, consent_id=consent.pk, now=timezone.now())

    url = reverse("sharing:home") if name == "sharing:home" else reverse("sharing:ask") + "?kind=emotional"
    grow(2)
    owner_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert owner_client.get(url).status_code == 200
    grow(10)
    with django_assert_num_queries(len(small.captured_queries)):
        assert owner_client.get(url).status_code == 200


def test_the_ask_service_itself_refuses_someone_else_s_supporter_and_records_nothing(user, other_user):
    mine = SupporterFactory(owner=user)
    theirs = make_consent(other_user, email="theirs@example.net")
    for people, by_email in [([mine.pk, theirs.supporter_id], []), ([], [theirs.supporter_id])]:
        with pytest.raises(services.SharingRefused, match="your own network"):
            services.ask_create(
                owner=user,
                support_type="emotional",
                message="Hi",
                supporter_ids=people,
                email_ids=by_email,
                form_key=f"k{len(people)}",
                now=timezone.now(),
            )
    assert not SupportAsk.objects.exists() and not CheckIn.objects.exists()
    assert not AskRecipient.objects.exists()
