from datetime import UTC, datetime

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from accounts.models import User
from benchdata.seeding import CHECK_IN_NOTES, SUPPORTER_NOTES
from checkins.models import CheckIn
from contacts.models import Supporter

pytestmark = pytest.mark.django_db(transaction=True)

ANCHOR = "2026-11-28T00:00:00+00:00"


def seed(capsys, **sizes):
    arguments = [f"--{name.replace('_', '-')}={value}" for name, value in sizes.items()]
    call_command("seed_bench", *arguments, f"--anchor={ANCHOR}")
    return capsys.readouterr().out


def bench_rows():
    users = User.objects.filter(email__endswith="@bench.supportnet.invalid")
    return (
        users.count(),
        EmailAddress.objects.filter(user__in=users, verified=True, primary=True).count(),
        Supporter.objects.filter(owner__in=users).count(),
        CheckIn.objects.filter(owner__in=users).count(),
    )


def test_it_creates_exactly_the_requested_rows(capsys):
    output = seed(capsys, users=3, supporters_per_user=4, checkins_per_supporter=5)

    assert "seeded: 3 users, 12 supporters, 60 check-ins" in output
    assert bench_rows() == (3, 3, 12, 60)
    for supporter in Supporter.objects.all():
        assert supporter.check_ins.count() == 5
        assert supporter.check_ins.filter(owner=supporter.owner).count() == 5
        assert supporter.last_check_in_at == supporter.check_ins.first().happened_at
        assert supporter.support_types
        assert supporter.notes in {"", *SUPPORTER_NOTES}
    assert set(CheckIn.objects.values_list("note", flat=True)) <= {"", *CHECK_IN_NOTES}


def test_it_does_nothing_when_seeded_again_with_the_same_values(capsys):
    seed(capsys, users=3, supporters_per_user=4, checkins_per_supporter=5)
    ids = sorted(CheckIn.objects.values_list("id", flat=True))

    output = seed(capsys, users=3, supporters_per_user=4, checkins_per_supporter=5)

    assert "already there" in output
    assert sorted(CheckIn.objects.values_list("id", flat=True)) == ids


def test_it_replaces_only_its_own_seed_when_the_sizes_change(capsys, user):
    seed(capsys, users=3, supporters_per_user=4, checkins_per_supporter=5)
    call_command("seed_bench", "--users=2", "--seed=2", f"--anchor={ANCHOR}")

    seed(capsys, users=2, supporters_per_user=1, checkins_per_supporter=0)

    assert User.objects.filter(email__startswith="bench-1-").count() == 2
    assert Supporter.objects.filter(owner__email__startswith="bench-1-").count() == 2
    assert CheckIn.objects.filter(owner__email__startswith="bench-1-").count() == 0
    assert User.objects.filter(email__startswith="bench-2-").count() == 2
    assert User.objects.filter(pk=user.pk).exists()


def test_the_same_seed_gives_the_same_people(capsys):
    seed(capsys, users=3, supporters_per_user=2, checkins_per_supporter=1)
    first = list(Supporter.objects.order_by("id").values_list("name", "circle", "rhythm", "next_check_in_at"))
    User.objects.filter(email__startswith="bench-1-").delete()

    seed(capsys, users=3, supporters_per_user=2, checkins_per_supporter=1)

    assert (
        list(Supporter.objects.order_by("id").values_list("name", "circle", "rhythm", "next_check_in_at"))
        == first
    )
    assert all(
        moment > datetime(2026, 11, 28, tzinfo=UTC)
        for moment in User.objects.exclude(next_digest_at=None).values_list("next_digest_at", flat=True)
    )


def test_its_due_moments_follow_the_check_ins_rules(capsys):
    from checkins.due import next_digest_at, supporter_due_at

    seed(capsys, users=3, supporters_per_user=10, checkins_per_supporter=2)

    anchor = datetime.fromisoformat(ANCHOR)
    for supporter in Supporter.objects.select_related("owner"):
        assert supporter.next_check_in_at == supporter_due_at(supporter)
    for user in User.objects.filter(email__endswith="@bench.supportnet.invalid"):
        assert user.next_digest_at == (next_digest_at(user, now=anchor) if user.reminders_enabled else None)
