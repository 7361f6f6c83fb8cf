"""Reading supporters from a vCard file, a CSV file or a SupportNet JSON export.

`parse_upload` turns a file into a list of people (plain dicts of Supporter fields) and, for a JSON
export, their check-ins. Anything it cannot read raises `ImportFileError` with a message that names
the line, card or entry, so the person can fix the file. Nothing is written here.
"""

import csv
import datetime
import io
import json
import re

import vobject
from django.core.exceptions import ValidationError
from django.utils import timezone

from checkins.models import CheckIn
from contacts.forms import validate_phone
from contacts.models import Supporter, SupportType
from privacy.exports import FORMAT_NAME, SUPPORTER_FIELDS
from privacy.models import ImportFormat

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_PEOPLE = 5000

TEXT_FIELDS = ["name", "relationship", "email", "phone", "best_times", "notes"]
CHECK_IN_FIELDS = ["happened_at", "channel", "initiated_by", "mood", "note"]


class ImportFileError(Exception):
    """A file we cannot import, with a message for the person."""


def file_format_for(file_name: str, text: str) -> str:
    lowered = file_name.lower()
    if lowered.endswith((".vcf", ".vcard")) or text.lstrip().upper().startswith("BEGIN:VCARD"):
        return ImportFormat.VCARD
    if lowered.endswith(".json") or text.lstrip().startswith("{"):
        return ImportFormat.JSON
    if lowered.endswith((".csv", ".txt")):
        return ImportFormat.CSV
    raise ImportFileError("Choose a vCard (.vcf), CSV (.csv) or SupportNet export (.json) file.")


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportFileError(
            f"Line {line} is not UTF-8 text. Save the file as UTF-8 and try again."
        ) from None


def parse_upload(*, file_name: str, raw: bytes) -> tuple[str, dict]:
    """The file's format and its parsed contents: {"people": [...], "check_ins": [...]}."""
    if len(raw) > MAX_FILE_BYTES:
        raise ImportFileError("This file is larger than 2 MB. Split it into smaller files and import each.")
    text = decode(raw)
    if not text.strip():
        raise ImportFileError("This file is empty.")
    file_format = file_format_for(file_name, text)
    parser = {ImportFormat.VCARD: parse_vcards, ImportFormat.CSV: parse_csv, ImportFormat.JSON: parse_json}
    parsed = parser[file_format](text)
    if not parsed["people"]:
        raise ImportFileError("We found nobody to import in this file.")
    if len(parsed["people"]) > MAX_PEOPLE:
        raise ImportFileError(
            f"This file has {len(parsed['people'])} people; one import takes at most {MAX_PEOPLE}."
        )
    return file_format, parsed


def check_person(where: str, fields: dict) -> dict:
    """Validate one person's fields as a supporter would be; raise ImportFileError naming `where`."""
    fields = {name: value for name, value in fields.items() if value not in (None, "") or name == "name"}
    for name in TEXT_FIELDS:
        if name in fields:
            fields[name] = str(fields[name]).strip()
    if not fields.get("name"):
        raise ImportFileError(f"{where} has no name.")
    problems = []
    if fields.get("phone"):
        try:
            validate_phone(fields["phone"])
        except ValidationError:
            problems.append(f"the phone number “{fields['phone'][:40]}” doesn't look like one")
    support_types = fields.get("support_types") or [SupportType.EMOTIONAL]
    try:
        flags = {
            f"gives_{kind.value}": kind in {SupportType(k) for k in support_types} for kind in SupportType
        }
    except ValueError:
        problems.append("its kinds of support are not ones SupportNet knows")
        flags = {"gives_emotional": True}
    candidate = Supporter(
        **{name: value for name, value in fields.items() if name not in ("support_types", "is_archived")},
        **flags,
    )
    try:
        candidate.full_clean(exclude=["owner"], validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = Supporter._meta.get_field(name).verbose_name if name != "__all__" else "it"
            problems.append(f"{label}: {' '.join(messages).rstrip('.')}")
    if problems:
        raise ImportFileError(f"{where} ({fields['name'][:60]}) could not be read: {'; '.join(problems)}.")
    return fields


# --- vCard -------------------------------------------------------------------------------------


def _cards_with_lines(text: str):
    """Each card's text and the line it starts on, so errors can name both."""
    lines = text.splitlines()
    card, start = [], None
    for number, line in enumerate(lines, start=1):
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            if start is not None:
                raise ImportFileError(f"Card starting on line {start} has no END:VCARD before line {number}.")
            card, start = [line], number
        elif start is not None:
            card.append(line)
            if upper == "END:VCARD":
                yield start, "\r\n".join(card) + "\r\n"
                card, start = [], None
        elif line.strip():
            raise ImportFileError(f"Line {number} is outside any card (cards start with BEGIN:VCARD).")
    if start is not None:
        raise ImportFileError(f"Card starting on line {start} has no END:VCARD.")


def _first_value(card, name):
    entries = card.contents.get(name, [])
    preferred = [entry for entry in entries if "PREF" in str(entry.params).upper()]
    for entry in preferred + entries:
        value = entry.value
        if isinstance(value, list):
            value = " ".join(str(part) for part in value)
        value = str(value).strip()
        if value:
            return value
    return ""


def _name_from_n(card):
    if "n" not in card.contents:
        return ""
    n = card.n.value
    parts = [n.prefix, n.given, n.additional, n.family, n.suffix]
    return " ".join(" ".join(part) if isinstance(part, list) else part for part in parts if part).strip()


def parse_vcards(text: str) -> dict:
    people = []
    for index, (start, card_text) in enumerate(_cards_with_lines(text), start=1):
        where = f"Card {index} (line {start})"
        try:
            card = vobject.readOne(card_text, allowQP=True)
        except Exception as error:  # vobject raises several kinds for a broken card
            line = getattr(error, "lineNumber", None)
            detail = f"line {start + line - 1} is not a valid vCard line" if line else str(error)[:200]
            raise ImportFileError(f"{where} could not be read: {detail}.") from None
        phone = _first_value(card, "tel")
        if phone.lower().startswith("tel:"):
            phone = phone[4:]
        fields = {
            "name": _first_value(card, "fn") or _name_from_n(card),
            "email": _first_value(card, "email"),
            "phone": phone,
            "notes": _first_value(card, "note"),
        }
        people.append({"where": where, "fields": check_person(where, fields)})
        if len(people) > MAX_PEOPLE:
            break
    return {"people": people, "check_ins": []}


# --- CSV ---------------------------------------------------------------------------------------

# Our own headers, and the usual ones from phone and mail-program exports (Google, Outlook).
CSV_ALIASES = {
    "name": ["name", "full name", "display name", "fn"],
    "first": ["first name", "given name"],
    "last": ["last name", "family name", "surname"],
    "email": ["email", "e-mail", "email address", "e-mail address", "e-mail 1 - value", "email 1 - value"],
    "phone": ["phone", "mobile", "mobile phone", "phone number", "phone 1 - value", "primary phone"],
    "notes": ["notes", "note"],
}


def _header_map(header):
    normalised = [cell.strip().lower() for cell in header]
    mapping = {}
    for field in SUPPORTER_FIELDS:
        if field in normalised and field not in CSV_ALIASES:
            mapping[field] = normalised.index(field)
    for field, aliases in CSV_ALIASES.items():
        for alias in aliases:
            if alias in normalised:
                mapping[field] = normalised.index(alias)
                break
    return mapping


def _uncsv_safe(value: str) -> str:
    """Undo `csv_safe`: our export puts a ' before cells a spreadsheet would run as a formula."""
    if value.startswith("'") and value[1:2] in ("=", "@", "+", "-", "\t", "\r"):
        return value[1:]
    return value


def _boolean(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "y")


def parse_csv(text: str) -> dict:
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = next(reader)
    except csv.Error as error:
        raise ImportFileError(f"Line 1 could not be read as CSV: {error}.") from None
    columns = _header_map(header)
    if "name" not in columns and "first" not in columns and "last" not in columns:
        raise ImportFileError(
            "Line 1 should name the columns, with one called “name” (or “first name” and “last name”)."
        )
    people = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ImportFileError(f"Line {reader.line_num} could not be read as CSV: {error}.") from None
        if not any(cell.strip() for cell in row):
            continue
        where = f"Line {reader.line_num}"
        if len(row) > len(header):
            raise ImportFileError(
                f"{where} has {len(row)} cells but the first line names {len(header)} columns."
            )

        def cell(field, row=row):
            position = columns.get(field)
            return _uncsv_safe(row[position].strip()) if position is not None and position < len(row) else ""

        fields = {field: cell(field) for field in columns if field not in ("first", "last")}
        if not fields.get("name"):
            fields["name"] = " ".join(part for part in (cell("first"), cell("last")) if part)
        if fields.get("support_types"):
            fields["support_types"] = [
                kind.strip() for kind in fields["support_types"].split(";") if kind.strip()
            ]
        for flag in ("is_crisis_contact", "is_archived"):
            if flag in fields:
                fields[flag] = _boolean(fields[flag])
        if fields.get("rhythm_days"):
            if not fields["rhythm_days"].isdigit():
                raise ImportFileError(f"{where}: “every how many days” should be a whole number.")
            fields["rhythm_days"] = int(fields["rhythm_days"])
        people.append({"where": where, "fields": check_person(where, fields)})
        if len(people) > MAX_PEOPLE:
            break
    return {"people": people, "check_ins": []}


# --- SupportNet JSON export --------------------------------------------------------------------


def _parse_moment(value, where):
    try:
        moment = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ImportFileError(f"{where}: “{str(value)[:40]}” is not a date and time.") from None
    if moment.tzinfo is None:
        raise ImportFileError(f"{where}: the date and time has no time zone.")
    if moment > timezone.now():
        raise ImportFileError(f"{where} is in the future.")
    return moment.isoformat()


def parse_json(text: str) -> dict:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(f"Line {error.lineno} is not valid JSON: {error.msg}.") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ImportFileError("This JSON file is not a SupportNet export.")
    supporters = data.get("supporters")
    check_ins = data.get("check_ins", [])
    if not isinstance(supporters, list) or not isinstance(check_ins, list):
        raise ImportFileError("This SupportNet export has no list of supporters.")
    people, known_ids = [], set()
    for index, entry in enumerate(supporters, start=1):
        where = f"Supporter {index} in the file"
        if not isinstance(entry, dict):
            raise ImportFileError(f"{where} is not a set of fields.")
        fields = {field: entry.get(field) for field in SUPPORTER_FIELDS if field in entry}
        if not isinstance(fields.get("support_types", []), list):
            raise ImportFileError(f"{where}: the kinds of support should be a list.")
        for flag in ("is_crisis_contact", "is_archived"):
            if flag in fields:
                fields[flag] = bool(fields[flag])
        people.append({"where": where, "fields": check_person(where, fields), "source_id": entry.get("id")})
        known_ids.add(entry.get("id"))
        if len(people) > MAX_PEOPLE:
            return {"people": people, "check_ins": []}
    parsed_check_ins = []
    for index, entry in enumerate(check_ins, start=1):
        where = f"Check-in {index} in the file"
        if not isinstance(entry, dict) or entry.get("supporter_id") not in known_ids:
            raise ImportFileError(f"{where} does not belong to any supporter in the file.")
        fields = {field: entry.get(field) for field in CHECK_IN_FIELDS}
        fields["happened_at"] = _parse_moment(fields["happened_at"], where)
        fields["note"] = fields["note"] or ""
        # Exports made before check-ins had a kind hold connections only.
        fields["kind"] = entry.get("kind") or "connected"
        candidate = CheckIn(
            **{**fields, "happened_at": datetime.datetime.fromisoformat(fields["happened_at"])}
        )
        try:
            candidate.full_clean(exclude=["owner", "supporter"], validate_constraints=False)
        except ValidationError as error:
            problems = "; ".join(" ".join(messages) for messages in error.message_dict.values())
            raise ImportFileError(f"{where} could not be read: {problems}") from None
        parsed_check_ins.append({"supporter_source_id": entry["supporter_id"], **fields})
    return {"people": people, "check_ins": parsed_check_ins}


# --- Duplicates --------------------------------------------------------------------------------


def _name_key(name):
    return re.sub(r"\s+", " ", name).strip().casefold()


def _phone_key(phone):
    digits = re.sub(r"\D", "", phone or "")
    return digits[-9:] if len(digits) >= 6 else ""


def likely_duplicates(*, owner, people) -> dict[int, str]:
    """For each person (by position) who looks like an existing supporter: why, in a few words."""
    by_name, by_email, by_phone = {}, {}, {}
    for supporter in Supporter.objects.for_owner(owner).only("name", "email", "phone"):
        by_name.setdefault(_name_key(supporter.name), supporter.name)
        if supporter.email:
            by_email.setdefault(supporter.email.casefold(), supporter.name)
        if _phone_key(supporter.phone):
            by_phone.setdefault(_phone_key(supporter.phone), supporter.name)
    found = {}
    for position, person in enumerate(people):
        fields = person["fields"]
        if _name_key(fields["name"]) in by_name:
            found[position] = f"same name as {by_name[_name_key(fields['name'])]}"
        elif fields.get("email") and fields["email"].casefold() in by_email:
            found[position] = f"same email as {by_email[fields['email'].casefold()]}"
        elif _phone_key(fields.get("phone")) in by_phone:
            found[position] = f"same phone number as {by_phone[_phone_key(fields['phone'])]}"
    return found
