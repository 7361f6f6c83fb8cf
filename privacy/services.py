"""Actions on a person's data as a whole: import, delete the account, the calendar feed."""

import datetime
import json

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from checkins.models import CheckIn
from contacts import services as contacts_services
from contacts.models import Circle, Supporter
from core.support_types import SupportType
from core.tokens import token_digest
from privacy.imports import likely_duplicates, parse_upload, skipped_as_file
from privacy.models import CalendarFeed, PendingImport

PENDING_IMPORT_LIFETIME = datetime.timedelta(days=1)

# --- Import ------------------------------------------------------------------------------------


@transaction.atomic
def import_start(*, owner, file_name: str, raw: bytes, now) -> PendingImport:
    """Parse an uploaded file and keep it, encrypted, for the preview. Raises ImportFileError.

    Any earlier import the person left unconfirmed is dropped, and so is anyone's older than a day.
    """
    file_format, parsed = parse_upload(file_name=file_name, raw=raw)
    PendingImport.objects.filter(owner=owner).delete()
    PendingImport.objects.filter(created_at__lt=now - PENDING_IMPORT_LIFETIME).delete()
    return PendingImport.objects.create(
        owner=owner, file_name=file_name[:255], file_format=file_format, payload=json.dumps(parsed)
    )


def import_preview(*, pending: PendingImport) -> dict:
    """Every record in the file: ready to add, looking like someone already in the person's network,
    or with a problem (which field and why)."""
    parsed = json.loads(pending.payload)
    people = parsed["people"]
    duplicates = likely_duplicates(owner=pending.owner, people=people)
    rows = []
    for position, person in enumerate(people):
        status = "problem" if person["problems"] else ("duplicate" if position in duplicates else "ready")
        rows.append(
            {
                **person["fields"],
                "where": person["where"],
                "status": status,
                "problems": person["problems"],
                "notices": person.get("notices", []),
                "duplicate_of": duplicates.get(position),
            }
        )
    importable = [person for person in people if not person["problems"]]
    return {
        "people": rows,
        "notices": parsed.get("notices", []),
        "ready_count": sum(row["status"] == "ready" for row in rows),
        "duplicate_count": len(duplicates),
        "problem_count": len(people) - len(importable),
        "check_in_count": len(parsed["check_ins"]),
        "needs_support_types": any(not person["fields"].get("support_types") for person in importable),
        "needs_circle": any(not person["fields"].get("circle") for person in importable),
    }


def import_skipped_file(*, pending: PendingImport) -> tuple[str, str, str]:
    """The records that cannot be added, in the file's own format, to fix and import again."""
    return skipped_as_file(file_format=pending.file_format, parsed=json.loads(pending.payload))


@transaction.atomic
def import_confirm(
    *, pending: PendingImport, support_types, circle: str, skip_duplicates: bool
) -> tuple[int, int]:
    """Add the previewed people who are ready (and, from a JSON export, their check-ins) in one
    transaction: all of them or none. Records with problems are never added; likely duplicates
    only when `skip_duplicates` is off.

    `support_types` and `circle` apply to everyone whose file entry doesn't give their own.
    Returns (supporters added, check-ins added).
    """
    owner = pending.owner
    parsed = json.loads(pending.payload)
    skipped = likely_duplicates(owner=owner, people=parsed["people"]) if skip_duplicates else {}
    batch_types = [SupportType(kind) for kind in support_types]
    chosen = [
        person
        for position, person in enumerate(parsed["people"])
        if position not in skipped and not person["problems"]
    ]
    created = contacts_services.supporters_create_many(
        owner=owner,
        people=[
            {
                **person["fields"],
                "support_types": person["fields"].get("support_types") or batch_types,
                "circle": person["fields"].get("circle") or Circle(circle),
            }
            for person in chosen
        ],
    )
    created_by_source = {
        person["source_id"]: supporter
        for person, supporter in zip(chosen, created, strict=True)
        if person.get("source_id") is not None
    }
    check_ins = [
        CheckIn(
            owner=owner,
            supporter=created_by_source[entry["supporter_source_id"]],
            happened_at=datetime.datetime.fromisoformat(entry["happened_at"]),
            channel=entry["channel"],
            initiated_by=entry["initiated_by"],
            kind=entry.get("kind", "connected"),
            mood=entry["mood"],
            note=entry["note"],
        )
        for entry in parsed["check_ins"]
        if entry["supporter_source_id"] in created_by_source
    ]
    CheckIn.objects.bulk_create(check_ins, batch_size=500)
    if check_ins:
        # The check-ins app recomputes last and next check-in moments from the check-ins just added.
        contacts_services.schedule_changed(owner=owner, supporter_ids=[supporter.pk for supporter in created])
    pending.delete()
    return len(created), len(check_ins)


# --- Delete my account -------------------------------------------------------------------------


@transaction.atomic
def account_delete(*, user) -> None:
    """Delete the person and every row that is theirs: supporters, check-ins, plan, self-checks,
    email addresses, authenticators, sessions (deleting the user cascades to all of them)."""
    from allauth.usersessions.models import UserSession

    session_keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=session_keys).delete()
    # Admin history about the account (not by it: that cascades) names its email address.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)
    ).delete()
    user.delete()


# --- Calendar feed -----------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_renew(*, user) -> str:
    """Give the person a new private feed address, replacing (and so revoking) any earlier one.
    Returns the token, which is shown once: only its hash is kept."""
    token = CalendarFeed.new_token()
    CalendarFeed.objects.update_or_create(owner=user, defaults={"token_hash": token_digest(token)})
    return token


def calendar_feed_revoke(*, user) -> None:
    CalendarFeed.objects.filter(owner=user).delete()


def calendar_feed_owner(*, token: str):
    feed = CalendarFeed.objects.select_related("owner").filter(token_hash=token_digest(token)).first()
    return feed.owner if feed and feed.owner.is_active else None


FEED_DAYS_AHEAD = 366


def calendar_for(*, user, now, site_url: str) -> bytes:
    """An iCalendar file with one all-day event per supporter on the day they are next due (today for
    anyone already due), for the coming year.

    Names only: no notes, no best times, no contact details, since calendar services are third parties.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//SupportNet//Check-ins due//EN")
    calendar.add("version", "2.0")
    # Fetched by a calendar service, not the person: their own language, as in their emails.
    with translation.override(user.language):
        calendar.add("x-wr-calname", _("SupportNet check-ins"))
        summary = _("Check in with %(name)s")
    supporters = (
        Supporter.objects.for_owner(user)
        .active()
        .filter(
            next_check_in_at__isnull=False,
            next_check_in_at__lt=now + datetime.timedelta(days=FEED_DAYS_AHEAD),
        )
        .only("id", "name", "next_check_in_at", "snoozed_until")
        .order_by("next_check_in_at", "id")
    )
    zone = user.zone
    today = timezone.localtime(now, zone).date()
    for supporter in supporters:
        due_at = max(supporter.next_check_in_at, supporter.snoozed_until or supporter.next_check_in_at)
        # Someone already due shows today, not on a past day nobody looks at.
        due_on = max(timezone.localtime(due_at, zone).date(), today)
        event = Event()
        event.add("uid", f"supporter-{supporter.pk}-check-in@supportnet")
        event.add("summary", summary % {"name": supporter.name})
        event.add("dtstart", due_on)
        event.add("dtend", due_on + datetime.timedelta(days=1))
        event.add("dtstamp", now)
        event.add("transp", "TRANSPARENT")
        event.add("url", site_url + reverse("contacts:detail", args=[supporter.pk]))
        calendar.add_component(event)
    return calendar.to_ical()
