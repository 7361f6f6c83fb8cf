"""Gap suggestions fit the person: a peer group for one kind of recovery is suggested only to someone
who chose to tell us that is theirs (on the account page), never to everyone by default."""

import importlib

from django.apps import apps
from django.urls import reverse

from accounts.models import RecoveryTopic
from resources.models import Resource
from tests.factories import ResourceFactory, SupporterFactory


def peer_group(name, topic=""):
    return ResourceFactory(
        name=name,
        kind="peer_group",
        country="",
        phone="",
        gives_emotional=False,
        gives_peer=True,
        topic=topic,
    )


def test_the_directory_suggests_only_groups_for_anyone_when_nothing_was_told(db):
    open_group = peer_group("Open Peer Circle")
    peer_group("Alcoholics Anonymous", topic=RecoveryTopic.ADDICTION)
    mine = Resource.objects.filter(name__in=["Open Peer Circle", "Alcoholics Anonymous"])
    assert list(mine.suggested_for([])) == [open_group]


def test_the_directory_adds_the_groups_for_what_the_person_told(db):
    open_group = peer_group("Open Peer Circle")
    aa = peer_group("Drinkers Recovering", topic=RecoveryTopic.ADDICTION)
    bipolar = peer_group("Bipolar Peers", topic=RecoveryTopic.BIPOLAR)
    mine = Resource.objects.filter(id__in=[open_group.id, aa.id, bipolar.id])
    assert set(mine.suggested_for([RecoveryTopic.ADDICTION])) == {open_group, aa}


def test_the_migration_marks_the_starter_sets_addiction_programmes_for_those_who_chose_it(db):
    # Run the data migration's step itself: browser tests flush the tables the migration filled.
    migration = importlib.import_module("resources.migrations.0003_resource_topic")
    for name in ["Alcoholics Anonymous", "Narcotics Anonymous", "Open Peer Circle"]:
        peer_group(name)
    migration.tag_addiction_groups(apps, schema_editor=None)
    assert set(Resource.objects.filter(topic=RecoveryTopic.ADDICTION).values_list("name", flat=True)) == {
        "Alcoholics Anonymous",
        "Narcotics Anonymous",
    }


def test_the_dashboard_gap_offers_addiction_groups_only_after_the_person_chose_that_topic(owner_client, user):
    SupporterFactory(owner=user, gives_emotional=True, gives_peer=False)
    peer_group("Open Peer Circle")
    peer_group("Addiction Peers Group", topic=RecoveryTopic.ADDICTION)

    page = owner_client.get(reverse("dashboard:home")).content.decode()
    assert "Open Peer Circle" in page
    assert "Addiction Peers Group" not in page
    assert "Alcoholics Anonymous" not in page and "Narcotics Anonymous" not in page

    response = owner_client.post(
        reverse("accounts:settings"),
        {
            "timezone": "UTC",
            "country": "",
            "recovery_topics": [RecoveryTopic.ADDICTION, RecoveryTopic.ANXIETY],
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.recovery_topic_list == ["addiction", "anxiety"]
    page = owner_client.get(reverse("dashboard:home")).content.decode()
    assert "Addiction Peers Group" in page


def test_the_account_page_refuses_an_unknown_topic_kindly(owner_client, user):
    response = owner_client.post(
        reverse("accounts:settings"), {"timezone": "UTC", "country": "", "recovery_topics": ["astrology"]}
    )
    assert response.status_code == 200
    assert "Please choose from the options shown." in response.content.decode()
    user.refresh_from_db()
    assert user.recovery_topics == ""
