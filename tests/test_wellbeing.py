import datetime
import json
import re

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from tests.factories import CheckInFactory, SupporterFactory, UserFactory
from wellbeing import services
from wellbeing.models import LSNS_FIELDS, UCLA_FIELDS, PlanPerson, PlanStep, SafetyPlan, SelfCheck

NOW = datetime.datetime(2026, 11, 15, 12, 0, tzinfo=datetime.UTC)


def answers(ucla, lsns):
    return {**dict(zip(UCLA_FIELDS, ucla, strict=True)), **dict(zip(LSNS_FIELDS, lsns, strict=True))}


def record(user, ucla=(1, 1, 1), lsns=(3, 3, 3, 3, 3, 3), now=NOW):
    return services.self_check_record(user=user, answers=answers(ucla, lsns), now=now)


def plan_post(**overrides):
    data = {
        "warning_signs": "I stop answering messages",
        "coping_strategies": "A walk by the river",
        "distraction_places": "The library",
        "other_services": "GP out-of-hours 111",
        "safer_surroundings": "Sam keeps my tablets",
        "what_matters_most": "My cat, Pepper",
    }
    return {**data, **overrides}


# --- Scoring -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ucla", "expected", "lonely"),
    [
        ((1, 1, 1), 3, False),  # lowest possible: hardly ever, three times
        ((3, 3, 3), 9, True),  # highest possible: often, three times
        ((2, 2, 1), 5, False),
        ((1, 2, 3), 6, True),  # the first score research often calls lonely
    ],
)
def test_it_scores_the_ucla_three_item_scale(user, ucla, expected, lonely):
    self_check = record(user, ucla=ucla)
    assert self_check.ucla_score == expected
    assert self_check.feels_lonely() is lonely


@pytest.mark.parametrize(
    ("lsns", "expected", "at_risk"),
    [
        ((0, 0, 0, 0, 0, 0), 0, True),  # lowest possible
        ((5, 5, 5, 5, 5, 5), 30, False),  # highest possible: nine or more, six times
        ((3, 2, 2, 2, 1, 1), 11, True),  # just under the cut-point
        ((2, 2, 2, 2, 2, 2), 12, False),  # at the cut-point: not at risk
        ((4, 3, 3, 1, 0, 0), 11, True),  # strong family, no friends
    ],
)
def test_it_scores_the_lsns_6(user, lsns, expected, at_risk):
    self_check = record(user, lsns=lsns)
    assert self_check.lsns_score == expected
    assert self_check.at_risk_of_isolation() is at_risk


def test_it_reads_stored_scores_from_the_database(user):
    record(user, ucla=(3, 2, 3), lsns=(1, 1, 1, 2, 2, 2))
    stored = SelfCheck.objects.values("ucla_score", "lsns_score").get()
    assert stored == {"ucla_score": 8, "lsns_score": 9}


def test_a_concerning_result_is_either_lonely_or_at_risk(user):
    assert not record(user, ucla=(1, 1, 2), lsns=(2, 2, 2, 2, 2, 2)).is_concerning()
    assert record(user, ucla=(3, 3, 3), lsns=(5, 5, 5, 5, 5, 5)).is_concerning()
    assert record(user, ucla=(1, 1, 1), lsns=(0, 0, 0, 0, 0, 0)).is_concerning()


# --- Once a month ------------------------------------------------------------------------------


def test_it_replaces_this_months_answers_when_taken_again_the_same_month(user):
    record(user, ucla=(3, 3, 3), now=NOW)
    record(user, ucla=(1, 1, 1), now=NOW + datetime.timedelta(days=10))
    self_check = SelfCheck.objects.get()
    assert self_check.ucla_score == 3
    assert self_check.month_on == datetime.date(2026, 11, 1)
    assert self_check.taken_at == NOW + datetime.timedelta(days=10)


def test_it_keeps_one_self_check_per_month(user):
    record(user, now=NOW)
    record(user, now=NOW + datetime.timedelta(days=20))
    assert list(SelfCheck.objects.values_list("month_on", flat=True)) == [
        datetime.date(2026, 11, 1),
        datetime.date(2026, 12, 1),
    ]
    with pytest.raises(IntegrityError):
        SelfCheck.objects.create(
            owner=user, month_on=datetime.date(2026, 11, 1), taken_at=NOW, **answers((1,) * 3, (1,) * 6)
        )


def test_it_counts_months_in_the_persons_own_time_zone(db):
    user = UserFactory(timezone="Pacific/Auckland")
    late_november_in_utc = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)
    assert services.month_on(user=user, now=late_november_in_utc) == datetime.date(2026, 12, 1)


def test_it_says_when_a_self_check_is_due(user):
    assert services.self_check_is_due(user=user, now=NOW)
    record(user, now=NOW)
    assert not services.self_check_is_due(user=user, now=NOW)
    assert services.self_check_is_due(user=user, now=NOW + datetime.timedelta(days=20))


def test_it_warns_before_replacing_this_months_answers(owner_client, user):
    record(user, now=timezone.now())
    page = owner_client.get(reverse("wellbeing:self_check_take")).content.decode()
    assert "your new answers replace that one" in page


# --- Validation --------------------------------------------------------------------------------


def test_it_requires_every_item(owner_client, user):
    data = answers((1, 2, 3), (1, 2, 3, 4, 5, 0))
    del data["friends_to_call_on"]
    response = owner_client.post(reverse("wellbeing:self_check_take"), data)
    assert response.status_code == 200
    assert "Please choose an answer." in response.content.decode()
    assert not SelfCheck.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("lacks_companionship", 0),
        ("feels_isolated", 4),
        ("relatives_in_contact", 6),
        ("friends_in_contact", -1),
        ("feels_left_out", "often"),
    ],
)
def test_it_refuses_answers_out_of_range(owner_client, user, field, value):
    data = {**answers((1, 2, 3), (1, 2, 3, 4, 5, 0)), field: value}
    response = owner_client.post(reverse("wellbeing:self_check_take"), data)
    assert response.status_code == 200
    assert "Please choose one of the answers listed." in response.content.decode()
    assert not SelfCheck.objects.exists()


def test_the_database_refuses_answers_out_of_range(user):
    with pytest.raises(IntegrityError):
        SelfCheck.objects.create(
            owner=user, month_on=NOW.date(), taken_at=NOW, **answers((4, 1, 1), (1,) * 6)
        )


def test_the_service_refuses_answers_out_of_range(user):
    with pytest.raises(ValueError, match="between 0 and 5"):
        record(user, lsns=(1, 1, 1, 1, 1, 9))


def test_it_saves_a_complete_self_check_and_shows_the_result(owner_client, user):
    response = owner_client.post(reverse("wellbeing:self_check_take"), answers((1, 2, 1), (3, 3, 2, 3, 2, 2)))
    assert response.status_code == 302
    self_check = SelfCheck.objects.get(owner=user)
    assert (self_check.ucla_score, self_check.lsns_score) == (4, 15)
    page = owner_client.get(reverse("wellbeing:self_check")).content.decode()
    assert "A score is not a diagnosis." in page
    assert "You don't have to carry this alone" not in page


# --- The self-check page -----------------------------------------------------------------------


def test_it_shows_the_published_items_answers_and_sources(owner_client):
    page = owner_client.get(reverse("wellbeing:self_check_take")).content.decode()
    for text in [
        "How often do you feel that you lack companionship?",
        "How often do you feel left out?",
        "How often do you feel isolated from others?",
        "Hardly ever",
        "Some of the time",
        "How many relatives do you see or hear from at least once a month?",
        "How many friends do you feel close to such that you could call on them for help?",
        "Three or four",
        "Nine or more",
    ]:
        assert text in page
    overview = owner_client.get(reverse("wellbeing:self_check")).content.decode()
    assert "doi.org/10.1177/0164027504268574" in overview
    assert "doi.org/10.1093/geront/46.4.503" in overview


def test_a_concerning_result_shows_crisis_help_and_suggests_a_professional(owner_client, user):
    SupporterFactory(owner=user, name="Jo Crisis", phone="+44 7700 900123", is_crisis_contact=True)
    record(user, ucla=(3, 3, 2), lsns=(1, 1, 0, 1, 1, 0), now=timezone.now())
    page = owner_client.get(reverse("wellbeing:self_check")).content.decode()
    assert "You don't have to carry this alone" in page
    assert "talk to your GP, a counsellor or another professional" in page
    assert 'href="tel:+447700900123"' in page
    assert reverse("dashboard:crisis") in page
    assert "A score is not a diagnosis." in page


def test_it_draws_the_trend_beside_the_networks_history(owner_client, user):
    supporter = SupporterFactory(owner=user)
    now = timezone.now()
    record(user, now=now - datetime.timedelta(days=62))
    record(user, now=now)
    CheckInFactory(supporter=supporter, happened_at=now)
    CheckInFactory(supporter=supporter, happened_at=now)
    history = services.history_for(user=user, now=now)
    assert len(history) == 12
    assert (history[-1].people_in_touch, history[-1].check_ins) == (1, 2)
    page = owner_client.get(reverse("wellbeing:self_check")).content.decode()
    assert page.count('<circle class="chart-dot"') == 4, "two points on each of the two score charts"
    assert page.count('<rect class="chart-bar"') == 2
    assert "Supporters I was in touch with" in page


def make_history(user, months):
    supporters = SupporterFactory.create_batch(3, owner=user)
    now = timezone.now()
    for index in range(months):
        when = now - datetime.timedelta(days=31 * index)
        record(user, now=when)
        for supporter in supporters:
            CheckInFactory(supporter=supporter, happened_at=when)


@pytest.mark.parametrize("months", [1, 12])
def test_the_self_check_page_uses_the_same_number_of_queries_however_long_the_history(
    owner_client, user, months, django_assert_num_queries
):
    make_history(user, months)
    owner_client.get(reverse("wellbeing:self_check"))
    # session, user, history: self-checks and one check-in aggregate, latest self-check (the crisis
    # lines are kept in the cache from the first view: resources.directory)
    with django_assert_num_queries(5):
        assert owner_client.get(reverse("wellbeing:self_check")).status_code == 200


# --- The plan ----------------------------------------------------------------------------------


def test_it_offers_only_the_persons_own_current_supporters(owner_client, user, other_user):
    SupporterFactory(owner=user, name="Ada Friend")
    SupporterFactory(owner=user, name="Dr Bea Therapist", gives_professional=True)
    SupporterFactory(owner=user, name="Old Archived", is_archived=True)
    SupporterFactory(owner=other_user, name="Someone Elses")
    response = owner_client.get(reverse("wellbeing:plan_edit"))
    form = response.context["form"]
    assert [s.name for s in form.fields["help_people"].queryset] == ["Ada Friend", "Dr Bea Therapist"]
    assert [s.name for s in form.fields["professional_people"].queryset] == ["Dr Bea Therapist"]
    page = response.content.decode()
    assert "Someone Elses" not in page
    assert "Old Archived" not in page


def test_it_builds_the_plan_from_the_persons_supporters(owner_client, user):
    ada = SupporterFactory(
        owner=user, name="Ada Friend", phone="+44 (0)7700 900 456", email="ada@example.com"
    )
    bea = SupporterFactory(owner=user, name="Dr Bea", gives_professional=True, phone="020 7946 0000")
    response = owner_client.post(
        reverse("wellbeing:plan_edit"),
        plan_post(distraction_people=[ada.pk], help_people=[ada.pk], professional_people=[bea.pk]),
    )
    assert response.status_code == 302
    plan = SafetyPlan.objects.get(owner=user)
    assert plan.warning_signs == "I stop answering messages"
    assert set(plan.people.values_list("step", "supporter__name")) == {
        (PlanStep.DISTRACTION, "Ada Friend"),
        (PlanStep.HELP, "Ada Friend"),
        (PlanStep.PROFESSIONAL, "Dr Bea"),
    }
    page = owner_client.get(reverse("wellbeing:plan")).content.decode()
    assert 'href="tel:+4407700900456"' in page
    assert 'href="mailto:ada@example.com"' in page
    assert 'href="tel:02079460000"' in page
    assert "My cat, Pepper" in page
    assert "Tell them they are on your plan" in page


def test_it_refuses_another_persons_supporter_in_the_plan(owner_client, user, other_user):
    theirs = SupporterFactory(owner=other_user, name="Not Yours")
    response = owner_client.post(reverse("wellbeing:plan_edit"), plan_post(help_people=[theirs.pk]))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not SafetyPlan.objects.exists()
    assert not PlanPerson.objects.exists()


def test_the_service_refuses_another_persons_supporter(user, other_user):
    theirs = SupporterFactory(owner=other_user)
    with pytest.raises(ValueError, match="own supporters"):
        services.plan_update(user=user, texts={}, people_by_step={PlanStep.HELP: [theirs]})


def test_it_refuses_a_non_professional_in_step_5(owner_client, user):
    friend = SupporterFactory(owner=user)
    response = owner_client.post(reverse("wellbeing:plan_edit"), plan_post(professional_people=[friend.pk]))
    assert response.status_code == 200
    assert not PlanPerson.objects.exists()


def test_it_records_when_the_person_told_someone_in_step_4(owner_client, user):
    ada = SupporterFactory(owner=user, name="Ada")
    services.plan_update(user=user, texts=plan_post(), people_by_step={PlanStep.HELP: [ada]})
    person = PlanPerson.objects.get()
    url = reverse("wellbeing:plan_told", args=[person.pk])
    assert owner_client.get(url).status_code == 405
    response = owner_client.post(url, {"told": "yes"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.told_at is not None
    page = owner_client.get(reverse("wellbeing:plan")).content.decode()
    assert "Told on " in page

    # Saving the plan again keeps the record; taking Ada out of step 4 and back in starts afresh.
    services.plan_update(user=user, texts=plan_post(), people_by_step={PlanStep.HELP: [ada]})
    assert PlanPerson.objects.get().told_at == person.told_at
    owner_client.post(url, {"told": "no"})
    assert PlanPerson.objects.get().told_at is None


def test_it_downloads_the_plan_as_text(owner_client, user):
    ada = SupporterFactory(owner=user, name="Ada Friend", phone="07700 900456")
    services.plan_update(
        user=user,
        texts=plan_post(warning_signs="Ne dors plus, “ça va” à tout le monde"),
        people_by_step={PlanStep.HELP: [ada]},
    )
    response = owner_client.get(reverse("wellbeing:plan_text"))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="my-crisis-plan.txt"'
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert "4. PEOPLE I CAN ASK FOR HELP\n- Ada Friend (friend), phone 07700 900456" in text
    assert "Ne dors plus, “ça va” à tout le monde" in text
    assert "&" not in text.replace("Stanley & Brown", ""), "nothing is HTML-escaped"


def test_it_downloads_the_plan_as_a_pdf(owner_client, user):
    ada = SupporterFactory(owner=user, name="Ada Friend", phone="07700 900456")
    services.plan_update(
        user=user,
        texts=plan_post(warning_signs="Ne dors plus, “ça va”"),
        people_by_step={PlanStep.HELP: [ada]},
    )
    response = owner_client.get(reverse("wellbeing:plan_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="my-crisis-plan.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert b"(tel:07700900456)" in response.content, "the phone number is a link"
    assert len(re.findall(rb"/Type /Page\b(?!s)", response.content)) == 1, "one page"


def test_the_pdf_falls_back_to_a_built_in_font_without_losing_the_words(user, monkeypatch, tmp_path):
    from wellbeing import documents

    monkeypatch.setattr(documents, "NOTO_DIRECTORIES", [tmp_path])
    monkeypatch.setattr(documents, "UNICODE_FONT_FILES", {"": tmp_path / "missing.ttf"})
    services.plan_update(
        user=user,
        texts=plan_post(warning_signs="\u201cQuoted\u201d \u2013 and \u65e5\u672c"),
        people_by_step={},
    )
    pdf = documents.plan_as_pdf(plan=services.plan_for(user=user), user=user, now=NOW)
    assert pdf.startswith(b"%PDF-")


def test_an_empty_plan_still_downloads(owner_client):
    assert owner_client.get(reverse("wellbeing:plan_pdf")).content.startswith(b"%PDF-")
    assert "(Not filled in yet.)" in owner_client.get(reverse("wellbeing:plan_text")).content.decode()


@pytest.mark.parametrize("people", [1, 6])
def test_the_plan_page_uses_the_same_number_of_queries_however_many_people(
    owner_client, user, people, django_assert_num_queries
):
    supporters = SupporterFactory.create_batch(people, owner=user, phone="0123")
    services.plan_update(
        user=user,
        texts=plan_post(),
        people_by_step=dict.fromkeys((PlanStep.DISTRACTION, PlanStep.HELP), supporters),
    )
    with django_assert_num_queries(5):  # session, user, plan, its people with their supporters, crisis lines
        assert owner_client.get(reverse("wellbeing:plan")).status_code == 200


def test_the_crisis_page_links_to_the_plan(owner_client, client):
    assert reverse("wellbeing:plan") in owner_client.get(reverse("dashboard:crisis")).content.decode()


def test_the_nav_links_to_the_plan_and_the_self_check(owner_client):
    page = owner_client.get(reverse("dashboard:home")).content.decode()
    assert ">My plan</a>" in page
    assert ">Self-check</a>" in page


# --- Privacy -----------------------------------------------------------------------------------

PAGES = ["plan", "plan_edit", "plan_text", "plan_pdf", "self_check", "self_check_take"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_it_sends_anonymous_visitors_to_sign_in(client, name):
    response = client.get(reverse(f"wellbeing:{name}"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_sign_in_when_recording_told(client):
    response = client.post(reverse("wellbeing:plan_told", args=[1]), {"told": "yes"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_another_person_never_sees_the_plan_or_the_self_check(user, other_user, client):
    ada = SupporterFactory(owner=user, name="Ada Private")
    services.plan_update(user=user, texts=plan_post(), people_by_step={PlanStep.HELP: [ada]})
    record(user, ucla=(3, 3, 3), lsns=(0, 0, 0, 0, 0, 0), now=timezone.now())
    client.force_login(other_user)
    for name in PAGES:
        content = client.get(reverse(f"wellbeing:{name}")).content
        assert b"Ada Private" not in content
        assert b"I stop answering messages" not in content
    assert (
        "You don't have to carry this alone"
        not in client.get(reverse("wellbeing:self_check")).content.decode()
    )


def test_another_person_gets_a_404_for_someone_elses_plan_entry(user, outsider_client):
    ada = SupporterFactory(owner=user)
    services.plan_update(user=user, texts={}, people_by_step={PlanStep.HELP: [ada]})
    person = PlanPerson.objects.get()
    response = outsider_client.post(reverse("wellbeing:plan_told", args=[person.pk]), {"told": "yes"})
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.told_at is None


def test_moderators_cannot_see_plans_or_self_checks_in_the_admin(client, user, two_step_login):
    from django.contrib.auth.models import Permission

    services.plan_update(user=user, texts=plan_post(), people_by_step={})
    record(user)
    moderator = UserFactory(email="moderator@example.com", is_staff=True)
    moderator.user_permissions.set(Permission.objects.filter(content_type__app_label="wellbeing"))
    two_step_login(client, moderator)
    index = client.get(reverse("admin:index")).content.decode()
    assert "wellbeing" not in index.lower()
    assert "self check" not in index.lower()
    for url in ["/admin/wellbeing/", "/admin/wellbeing/safetyplan/", "/admin/wellbeing/selfcheck/"]:
        assert client.get(url).status_code == 404


# --- Export and deletion -----------------------------------------------------------------------


def test_it_exports_everything_as_plain_data(user, other_user):
    ada = SupporterFactory(owner=user, name="Ada")
    services.plan_update(user=user, texts=plan_post(), people_by_step={PlanStep.HELP: [ada]})
    record(user, ucla=(1, 2, 3), lsns=(1, 1, 1, 1, 1, 1))
    record(other_user, ucla=(3, 3, 3))
    exported = services.export_for(user=user)
    json.dumps(exported)  # plain data only
    assert exported["crisis_plan"]["what_matters_most"] == "My cat, Pepper"
    assert exported["crisis_plan"]["people"] == [
        {
            "step": 4,
            "step_title": "People I can ask for help",
            "supporter_id": ada.pk,
            "supporter_name": "Ada",
            "told_at": None,
        }
    ]
    assert len(exported["self_checks"]) == 1
    assert exported["self_checks"][0]["ucla_loneliness_score"] == 6
    assert exported["self_checks"][0]["lsns6_score"] == 6
    assert exported["self_checks"][0]["answers"]["feels_isolated"] == 3
    assert services.export_for(user=UserFactory()) == {"crisis_plan": None, "self_checks": []}


def test_deleting_the_account_deletes_the_plan_and_self_checks(user):
    supporter = SupporterFactory(owner=user)
    services.plan_update(user=user, texts=plan_post(), people_by_step={PlanStep.HELP: [supporter]})
    record(user)
    user.delete()
    assert not SafetyPlan.objects.exists()
    assert not PlanPerson.objects.exists()
    assert not SelfCheck.objects.exists()


def test_step_five_lists_the_directorys_crisis_lines_for_the_persons_country(owner_client, user):
    from tests.factories import ResourceFactory

    user.country = "IE"
    user.save(update_fields=["country"])
    ResourceFactory(name="Irish Line", kind="crisis_line", country="IE", phone="116 123")
    ResourceFactory(name="Faraway Line", kind="crisis_line", country="JP", phone="0120")
    ResourceFactory(name="Hidden Line", kind="crisis_line", country="IE", is_published=False)
    content = owner_client.get(reverse("wellbeing:plan")).content.decode()
    assert "Irish Line" in content
    assert "Faraway Line" not in content
    assert "Hidden Line" not in content
