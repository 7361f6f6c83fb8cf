"""Everything SupportNet holds about a person, as JSON, and their supporters as CSV and vCard 4.0."""

import csv
import io

import vobject
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils import timezone

from checkins.models import CheckIn, Digest
from contacts.models import Supporter
from wellbeing.services import export_for as wellbeing_export_for

FORMAT_NAME = "supportnet-export"
FORMAT_VERSION = 1

PREFERENCE_FIELDS = [
    "inner_rhythm_days",
    "middle_rhythm_days",
    "outer_rhythm_days",
    "reminders_enabled",
    "reminder_hour",
    "reminder_weekdays",
    "reminders_paused_until",
    "reminder_email_details",
    "reminder_channel",
    "reminder_push_names",
    "reminder_self_check",
]

# The supporter columns of the CSV and the JSON, in this order. `support_types` is a list in JSON
# and "emotional;peer" in CSV.
SUPPORTER_FIELDS = [
    "name",
    "relationship",
    "support_types",
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
    "is_archived",
]


def _iso(value):
    return value.isoformat() if value is not None else None


def supporter_as_dict(supporter):
    data = {"id": supporter.pk}
    for field in SUPPORTER_FIELDS:
        value = getattr(supporter, field)
        data[field] = [kind.value for kind in value] if field == "support_types" else value
    data.update(
        last_check_in_at=_iso(supporter.last_check_in_at),
        next_check_in_at=_iso(supporter.next_check_in_at),
        snoozed_until=_iso(supporter.snoozed_until),
        created_at=_iso(supporter.created_at),
        updated_at=_iso(supporter.updated_at),
    )
    return data


def check_in_as_dict(check_in):
    return {
        "id": check_in.pk,
        "supporter_id": check_in.supporter_id,
        "happened_at": _iso(check_in.happened_at),
        "channel": check_in.channel,
        "initiated_by": check_in.initiated_by,
        "mood": check_in.mood,
        "note": check_in.note,
        "created_at": _iso(check_in.created_at),
    }


def reminder_history_for(*, user):
    """Each day a reminder email was due for the person, and what became of it."""
    return [
        {
            "scheduled_on": _iso(digest.scheduled_on),
            "status": digest.status,
            "people_listed": digest.supporter_count,
            "queued_at": _iso(digest.queued_at),
            "sent_at": _iso(digest.sent_at),
            "attempts": digest.attempts,
            "failure_reason": digest.failure_reason,
        }
        for digest in Digest.objects.filter(user=user).order_by("scheduled_on")
    ]


def export_everything(*, user, now=None):
    """One JSON-ready dict of everything stored about `user`. Never includes secrets (password hash,
    authenticator keys, recovery codes, calendar feed token)."""
    now = now or timezone.now()
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": _iso(now),
        "profile": {
            "email": user.email,
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("email")
            ],
            "timezone": user.timezone,
            "country": user.country,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "two_step_sign_in": Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists(),
            "calendar_feed": hasattr(user, "calendar_feed"),
        },
        "preferences": {
            field: _iso(value) if field == "reminders_paused_until" else value
            for field in PREFERENCE_FIELDS
            for value in [getattr(user, field)]
        },
        "supporters": [supporter_as_dict(supporter) for supporter in Supporter.objects.for_owner(user)],
        "check_ins": [
            check_in_as_dict(check_in)
            for check_in in CheckIn.objects.filter(owner=user).order_by("happened_at", "id")
        ],
        "reminder_history": reminder_history_for(user=user),
        # Each device with notifications on, without its push address and keys (secrets, like the feed's).
        "notification_devices": [
            {
                "device_name": device.device_name,
                "created_at": _iso(device.created_at),
                "last_success_at": _iso(device.last_success_at),
            }
            for device in user.push_subscriptions.order_by("created_at", "id")
        ],
        "wellbeing": wellbeing_export_for(user=user),
    }


# Spreadsheet programs run a cell that starts with one of these as a formula ("CSV injection").
FORMULA_STARTS = ("=", "@", "\t", "\r")


def csv_safe(value):
    """A cell that a spreadsheet shows as text: a leading ' before anything that could be a formula.
    "+44 ..." and "-" followed by a digit stay as they are: phone numbers and negative numbers."""
    text = "" if value is None else str(value)
    risky = text.startswith(FORMULA_STARTS) or (
        text[:1] in ("+", "-") and not (len(text) > 1 and (text[1].isdigit() or text[1] == " "))
    )
    return "'" + text if risky and text not in ("+", "-") else text


def supporters_as_csv(*, user) -> str:
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(SUPPORTER_FIELDS)
    for supporter in Supporter.objects.for_owner(user):
        row = supporter_as_dict(supporter)
        row["support_types"] = ";".join(row["support_types"])
        writer.writerow([csv_safe(row[field]) for field in SUPPORTER_FIELDS])
    return output.getvalue()


def supporter_as_vcard(supporter):
    card = vobject.vCard()
    card.add("version").value = "4.0"
    card.add("kind").value = "individual"
    card.add("fn").value = supporter.name
    if supporter.email:
        card.add("email").value = supporter.email
    if supporter.phone:
        card.add("tel").value = supporter.phone
    relationship = f"Relationship: {supporter.relationship}" if supporter.relationship else ""
    note = "\n\n".join(part for part in [relationship, supporter.best_times, supporter.notes] if part)
    if note:
        card.add("note").value = note
    card.add("categories").value = [kind.label for kind in supporter.support_types]
    return card


def supporters_as_vcards(*, user) -> str:
    """vCard 4.0 (RFC 6350), one card per supporter, for a phone's or a mail program's contacts."""
    return "".join(
        supporter_as_vcard(supporter).serialize() for supporter in Supporter.objects.for_owner(user)
    )
