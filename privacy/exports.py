"""Everything SupportNet holds about a person, as JSON, and their supporters as CSV and vCard 4.0."""

import csv
import datetime
import io
import re
import uuid

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils import timezone

from accounts.models import REMINDER_PREFERENCE_FIELDS
from checkins.models import CheckIn, Digest
from contacts.models import Supporter
from contacts.schemas import supporter_as_json
from contacts.services import EDITABLE_FIELDS
from privacy.vcard import escape, fold
from sharing.services import export_for as sharing_export_for
from wellbeing.services import export_for as wellbeing_export_for

FORMAT_NAME = "supportnet-export"
FORMAT_VERSION = 1

PREFERENCE_FIELDS = [
    "inner_rhythm_days",
    "middle_rhythm_days",
    "outer_rhythm_days",
    *REMINDER_PREFERENCE_FIELDS,
]

# The supporter columns of the CSV and the JSON, in this order: what a person edits (one list, in
# contacts.services), the kinds of support after the relationship, and whether archived.
# `support_types` is a list in JSON and "emotional;peer" in CSV.
SUPPORTER_FIELDS = [*EDITABLE_FIELDS[:2], "support_types", *EDITABLE_FIELDS[2:], "is_archived"]


def _iso(value):
    return value.isoformat() if value is not None else None


def supporter_as_dict(supporter):
    """The API's representation of a supporter (contacts.schemas), so the export and the API agree."""
    return supporter_as_json(supporter)


def check_in_as_dict(check_in):
    return {
        "id": check_in.pk,
        "supporter_id": check_in.supporter_id,
        "happened_at": _iso(check_in.happened_at),
        "channel": check_in.channel,
        "initiated_by": check_in.initiated_by,
        "kind": check_in.kind,
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
            "country": user.country.code,
            "recovering_from": user.recovery_topic_list,
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
        "asking_and_sharing": sharing_export_for(user=user),
    }


# Spreadsheet programs run a cell that starts with one of these as a formula ("CSV injection",
# OWASP): such a cell gets a leading ' so it shows as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A phone number has no letters or brackets a formula could call, so it stays as typed (a leading
# + included) and spreadsheets and phones still see a phone number.
PLAIN_PHONE = re.compile(r"^\+?[\d ]+[\d ().\-/]*$")


def csv_safe(value, *, phone=False):
    text = "" if value is None else str(value)
    if phone and PLAIN_PHONE.match(text):
        return text
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def supporters_as_csv(*, user, byte_order_mark=False) -> str:
    """One row per supporter. With `byte_order_mark`, a UTF-8 BOM first, so Excel reads the file
    as UTF-8 and shows non-Latin names as they are."""
    output = io.StringIO()
    if byte_order_mark:
        output.write("\ufeff")
    writer = csv.writer(output)
    writer.writerow(SUPPORTER_FIELDS)
    for supporter in Supporter.objects.for_owner(user):
        row = supporter_as_dict(supporter)
        row["support_types"] = ";".join(row["support_types"])
        writer.writerow([csv_safe(row[field], phone=field == "phone") for field in SUPPORTER_FIELDS])
    return output.getvalue()


# Our fields that vCard has no property for, as X- properties (RFC 6350 section 6.10). Support types
# go in CATEGORIES and the relationship in ROLE, which other address books show.
VCARD_EXTENSIONS = {
    field: "X-SUPPORTNET-" + field.upper().replace("_", "-")
    for field in SUPPORTER_FIELDS
    if field not in ("name", "relationship", "support_types", "email", "phone", "notes")
}


def _vcard_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def supporter_as_vcard(supporter) -> str:
    """One vCard 4.0 card: FN, N, UID and REV always; the rest when set."""
    name_parts = supporter.name.rsplit(" ", 1)
    family = name_parts[1] if len(name_parts) == 2 else ""
    given = name_parts[0] if len(name_parts) == 2 else supporter.name
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "PRODID:-//SupportNet//Supporters//EN",
        f"UID:urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'supportnet:supporter:{supporter.pk}')}",
        "KIND:individual",
        f"FN:{escape(supporter.name)}",
        f"N:{escape(family)};{escape(given)};;;",
    ]
    if supporter.email:
        lines.append(f"EMAIL:{escape(supporter.email)}")
    if supporter.phone:
        lines.append(f"TEL;VALUE=text:{escape(supporter.phone)}")
    if supporter.relationship:
        lines.append(f"ROLE:{escape(supporter.relationship)}")
    lines.append("CATEGORIES:" + ",".join(escape(kind.value) for kind in supporter.support_types))
    if supporter.notes:
        lines.append(f"NOTE:{escape(supporter.notes)}")
    for field, property_name in VCARD_EXTENSIONS.items():
        value = _vcard_value(getattr(supporter, field))
        if value:
            lines.append(f"{property_name}:{escape(value)}")
    lines.append(f"REV:{supporter.updated_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}")
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def supporters_as_vcards(*, user) -> str:
    """vCard 4.0 (RFC 6350), one card per supporter, for a phone's or a mail program's contacts."""
    return "".join(supporter_as_vcard(supporter) for supporter in Supporter.objects.for_owner(user))
