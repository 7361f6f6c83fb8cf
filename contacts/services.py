"""Writes to supporters. Views call these; they never save supporters themselves."""

from django.db import transaction
from django.utils.translation import gettext as _

from contacts.models import Circle, Rhythm, Supporter
from contacts.signals import supporter_schedule_changed
from contacts.versions import network_changed
from core.support_types import SupportType

# What decides when a supporter is next due: a change to any of these tells the check-ins app.
SCHEDULE_FIELDS = ("circle", "rhythm", "rhythm_days", "is_archived")

EDITABLE_FIELDS = (
    "name",
    "relationship",
    "circle",
    "feeling",
    "email",
    "phone",
    "preferred_channel",
    "best_times",
    "rhythm",
    "rhythm_days",
    "is_crisis_contact",
    "notes",
)


def schedule_changed(*, owner, supporter_ids) -> None:
    """Tell the check-ins app (see contacts/signals.py) to recompute these supporters' due moments."""
    supporter_schedule_changed.send(sender=Supporter, owner=owner, supporter_ids=list(supporter_ids))


def _support_type_flags(support_types) -> dict:
    chosen = {SupportType(kind) for kind in support_types}
    if not chosen:
        raise ValueError(_("A supporter gives at least one type of support."))
    return {f"gives_{kind.value}": kind in chosen for kind in SupportType}


def _clean_rhythm_days(fields: dict) -> dict:
    """Days only mean something for a custom rhythm; drop a leftover number otherwise."""
    if "rhythm" in fields and fields["rhythm"] != Rhythm.CUSTOM:
        fields["rhythm_days"] = None
    return fields


@transaction.atomic
def supporter_create(*, owner, name: str, support_types, **fields) -> Supporter:
    """Add a supporter for `owner`. `fields` are any of EDITABLE_FIELDS besides the name."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown supporter fields: {', '.join(sorted(unknown))}")
    supporter = Supporter(owner=owner, name=name, **_support_type_flags(support_types))
    for field, value in _clean_rhythm_days(fields).items():
        setattr(supporter, field, value)
    supporter.full_clean()
    supporter.save()
    network_changed(owner.pk)
    schedule_changed(owner=owner, supporter_ids=[supporter.pk])
    return supporter


@transaction.atomic
def supporter_update(*, supporter: Supporter, support_types=None, **fields) -> Supporter:
    """Change some of a supporter's details; tells the check-ins app when the schedule moved."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown supporter fields: {', '.join(sorted(unknown))}")
    before = {field: getattr(supporter, field) for field in SCHEDULE_FIELDS}
    if support_types is not None:
        fields.update(_support_type_flags(support_types))
    for field, value in _clean_rhythm_days(fields).items():
        setattr(supporter, field, value)
    supporter.full_clean()
    supporter.save()
    network_changed(supporter.owner_id)
    if any(getattr(supporter, field) != value for field, value in before.items()):
        schedule_changed(owner=supporter.owner, supporter_ids=[supporter.pk])
    return supporter


@transaction.atomic
def supporters_create_many(*, owner, people) -> list[Supporter]:
    """Add many supporters at once (an import): each `people` entry is `supporter_create`'s keywords
    (`name`, `support_types`, any EDITABLE_FIELDS) plus an optional `is_archived`. All or nothing.

    Each row is validated like `supporter_create` does, except the check constraints, which the
    database enforces on insert anyway (validating them in Python costs two queries a row).
    """
    supporters = []
    for fields in people:
        fields = dict(fields)
        unknown = set(fields) - {*EDITABLE_FIELDS, "name", "support_types", "is_archived"}
        if unknown:
            raise TypeError(f"Unknown supporter fields: {', '.join(sorted(unknown))}")
        support_types = fields.pop("support_types")
        supporter = Supporter(owner=owner, **_support_type_flags(support_types), **_clean_rhythm_days(fields))
        supporter.full_clean(exclude=["owner"], validate_constraints=False)
        supporters.append(supporter)
    Supporter.objects.bulk_create(supporters, batch_size=500)
    network_changed(owner.pk)
    schedule_changed(owner=owner, supporter_ids=[supporter.pk for supporter in supporters])
    return supporters


def _set_archived(supporter: Supporter, archived: bool) -> Supporter:
    if supporter.is_archived != archived:
        supporter.is_archived = archived
        supporter.save(update_fields=["is_archived", "updated_at"])
        network_changed(supporter.owner_id)
        schedule_changed(owner=supporter.owner, supporter_ids=[supporter.pk])
    return supporter


@transaction.atomic
def supporter_archive(*, supporter: Supporter) -> Supporter:
    """Hide a supporter from the list and from reminders, keeping everything about them."""
    return _set_archived(supporter, True)


@transaction.atomic
def supporter_unarchive(*, supporter: Supporter) -> Supporter:
    return _set_archived(supporter, False)


@transaction.atomic
def supporter_delete(*, supporter: Supporter) -> None:
    """Delete a supporter for good, with everything that hangs off them (their check-ins too)."""
    supporter.delete()
    network_changed(supporter.owner_id)


@transaction.atomic
def rhythm_defaults_update(
    *, user, inner_rhythm_days: int, middle_rhythm_days: int, outer_rhythm_days: int
) -> list[int]:
    """Change the owner's usual rhythm per circle. Returns the ids of the supporters whose rhythm moved.

    Supporters on "the usual for their circle" follow the new number at once (their rhythm is read
    from the owner); the check-ins app is told so it can recompute their stored due moments.
    """
    new = {
        Circle.INNER: inner_rhythm_days,
        Circle.MIDDLE: middle_rhythm_days,
        Circle.OUTER: outer_rhythm_days,
    }
    if not all(1 <= days <= 365 for days in new.values()):
        raise ValueError(_("A rhythm is from 1 to 365 days."))
    changed = [circle for circle, days in new.items() if user.rhythm_for_circle(circle) != days]
    for circle, days in new.items():
        setattr(user, f"{circle}_rhythm_days", days)
    user.save(update_fields=[f"{circle}_rhythm_days" for circle in new])
    network_changed(user.pk)
    if not changed:
        return []
    supporter_ids = list(
        Supporter.objects.for_owner(user).following_circle_default(changed).values_list("pk", flat=True)
    )
    schedule_changed(owner=user, supporter_ids=supporter_ids)
    return supporter_ids
