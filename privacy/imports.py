"""Reading supporters from a vCard file, a CSV file or a SupportNet JSON export.

`parse_upload` turns a file into a list of records, one per person in the file, and, for a JSON
export, their check-ins. Each record is either ready (its fields are a valid Supporter) or has
problems (which field, why, in plain words) and keeps its original text so the person can download
it, fix it and import it again. Only a file that cannot be read at all raises `ImportFileError`,
with a message that names the line, card or entry. Nothing is written here.
"""

import csv
import datetime
import io
import json
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext

from checkins.models import CheckIn
from contacts.forms import validate_phone
from contacts.models import Supporter
from core.support_types import SupportType
from core.text import single_line, without_controls
from privacy.exports import FORMAT_NAME, SUPPORTER_FIELDS, VCARD_EXTENSIONS
from privacy.models import ImportFormat
from privacy.vcard import read_cards

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_PEOPLE = 5000
# A SupportNet export nests five levels deep; the parser recurses once per level and turns digits
# into integers without bound, so a hostile file is refused before json.loads sees it.
MAX_JSON_DEPTH = 20
MAX_JSON_NUMBER_DIGITS = 30

SUPPORTER_MODEL_FIELDS = {field.name: field for field in Supporter._meta.concrete_fields}
TEXT_FIELDS = ["name", "relationship", "email", "phone", "best_times", "notes"]
MULTI_LINE_FIELDS = {"best_times", "notes"}
CHECK_IN_FIELDS = ["happened_at", "channel", "initiated_by", "mood", "note"]
LEGACY_CSV_ENCODING = "cp1252"  # what Outlook and Excel on Windows write when not told otherwise


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
    raise ImportFileError(gettext("Choose a vCard (.vcf), CSV (.csv) or SupportNet export (.json) file."))


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportFileError(
            gettext("Line %(line)s is not UTF-8 text. Save the file as UTF-8 and try again.") % {"line": line}
        ) from None


def parse_upload(*, file_name: str, raw: bytes) -> tuple[str, dict]:
    """The file's format and what it holds: {"people": [...], "check_ins": [...], "notices": [...]}.

    Each person is {"where", "fields", "problems": [{"field", "why"}], "notices": [...]} and, when it
    has problems, "source": its original text.
    """
    if len(raw) > MAX_FILE_BYTES:
        raise ImportFileError(
            gettext("This file is larger than 2 MB. Split it into smaller files and import each.")
        )
    head = raw[:4096].decode("utf-8", "replace").lstrip("\ufeff")
    if not raw.removeprefix(b"\xef\xbb\xbf").strip():
        raise ImportFileError(gettext("This file is empty."))
    file_format = file_format_for(file_name, head)
    if file_format == ImportFormat.VCARD:
        parsed = parse_vcards(raw)
    elif file_format == ImportFormat.CSV:
        parsed = parse_csv(raw)
    else:
        parsed = parse_json(decode(raw))
    if not parsed["people"]:
        raise ImportFileError(gettext("We found nobody to import in this file."))
    if len(parsed["people"]) > MAX_PEOPLE:
        raise ImportFileError(
            gettext("This file has %(count)d people; one import takes at most %(most)d.")
            % {"count": len(parsed["people"]), "most": MAX_PEOPLE}
        )
    return file_format, parsed


def _problem(field: str, why: str) -> dict:
    return {"field": field, "why": why}


def check_person(fields: dict) -> tuple[dict, list[dict]]:
    """The person's fields, cleaned, and what stops them being a valid supporter (empty if nothing)."""
    fields = {name: value for name, value in fields.items() if value not in (None, "") or name == "name"}
    for name in TEXT_FIELDS:
        if name in fields:
            clean = without_controls if name in MULTI_LINE_FIELDS else single_line
            fields[name] = clean(str(fields[name])).strip()
    problems = []
    if not fields.get("name"):
        problems.append(
            _problem("name", gettext("there is no name, nickname, organisation or email address"))
        )
        fields["name"] = ""
    if fields.get("phone"):
        try:
            validate_phone(fields["phone"])
        except ValidationError:
            problems.append(
                _problem(
                    "phone",
                    gettext("“%(value)s” doesn't look like a phone number") % {"value": fields["phone"][:40]},
                )
            )
    if fields.get("email"):
        try:
            validate_email(fields["email"])
        except ValidationError:
            problems.append(
                _problem(
                    "email",
                    gettext("“%(value)s” doesn't look like an email address")
                    % {"value": fields["email"][:60]},
                )
            )
    if not set(fields.get("support_types") or []) <= {kind.value for kind in SupportType}:
        problems.append(_problem("kinds of support", gettext("they are not ones SupportNet knows")))
    # Each field is cleaned as Supporter.full_clean would (types, choices, lengths, validators),
    # without building a model instance per row: a 5,000-person file is read in about a second.
    for name, value in fields.items():
        if name in ("support_types", "name") and not value:
            continue
        if name == "support_types" or any(problem["field"] == name for problem in problems):
            continue
        model_field = SUPPORTER_MODEL_FIELDS.get(name)
        if model_field is None:
            continue
        try:
            model_field.clean(value, None)
        except ValidationError as error:
            problems.append(_problem(str(model_field.verbose_name), " ".join(error.messages).rstrip(".")))
        except (TypeError, ValueError):
            problems.append(
                _problem(str(model_field.verbose_name), gettext("it is not the right kind of value"))
            )
    return fields, problems


def person_record(where: str, fields: dict, *, notices=(), problems=(), source=None) -> dict:
    fields, found = check_person(fields)
    problems = [*problems, *found]
    record = {"where": where, "fields": fields, "problems": problems, "notices": list(notices)}
    if problems:
        record["source"] = source
    return record


def _first_valid(values, validator):
    """The first value the validator accepts, else the first value (so its problem is named)."""
    values = [value.strip() for value in values if value and value.strip()]
    for value in values:
        try:
            validator(value)
        except ValidationError:
            continue
        return value
    return values[0] if values else ""


def name_with_fallback(*, full_name, structured_name, nickname, organisation, email):
    """The name to show, and a notice when it did not come from the full-name field."""
    for value, source in (
        (full_name, None),
        (structured_name, gettext("its name parts")),
        (nickname, gettext("its nickname")),
        (organisation, gettext("its organisation")),
        (email, gettext("its email address")),
    ):
        value = re.sub(r"\s+", " ", value or "").strip()
        if value:
            notice = (
                gettext("No full name given: named “%(name)s” from %(source)s.")
                % {"name": value[:60], "source": source}
                if source
                else None
            )
            return value, notice
    return "", None


# --- vCard -------------------------------------------------------------------------------------

SUPPORT_TYPE_BY_WORD = {
    **{kind.value: kind.value for kind in SupportType},
    **{str(kind.label).casefold(): kind.value for kind in SupportType},
}
TRUE_WORDS = ("1", "true", "yes", "y")


def _phone_from_tel(text: str) -> tuple[str, str]:
    """A phone number and its extension from `tel:+1-418-656-9254;ext=102` or a plain number."""
    if text.lower().startswith("tel:"):
        text = text[4:]
    number, _, parameters = text.partition(";")
    extension = re.search(r"(?:^|;)ext=([\w\-]+)", parameters, re.I)
    return number.strip(), extension.group(1) if extension else ""


def _own_script_first(properties):
    """Of several FN (ALTID/LANGUAGE), the one written in a non-Latin script first: that is how the
    person writes their own name; a Latin transliteration is kept in the notes."""

    def latin_only(prop):
        return all(ord(character) < 0x250 for character in prop.text)

    return sorted(properties, key=latin_only)


def parse_vcards(raw: bytes) -> dict:
    cards, stray = read_cards(raw)
    if stray and not cards:
        raise ImportFileError(stray[0])
    people = []
    for card in cards:
        where = gettext("Card %(number)s (line %(line)s)") % {"number": card.number, "line": card.line}
        problems = [_problem("card", why) for why in card.problems]
        notices = []
        full_names = _own_script_first([prop for prop in card.all("FN") if prop.text])
        other_names = [prop.text for prop in full_names[1:] if prop.text != full_names[0].text]
        structured = card.all("N")
        structured_name = ""
        if structured:
            family, given, additional, prefix, suffix = (structured[0].components + [""] * 5)[:5]
            structured_name = " ".join(
                part.replace(",", " ") for part in (prefix, given, additional, family, suffix) if part
            )
        nickname = next((prop.text.split(",")[0] for prop in card.all("NICKNAME") if prop.text), "")
        organisation = next((prop.components[0] for prop in card.all("ORG") if prop.components[0]), "")
        emails = [prop.text for prop in card.all("EMAIL")]
        email = _first_valid(emails, validate_email)
        name, notice = name_with_fallback(
            full_name=full_names[0].text if full_names else "",
            structured_name=structured_name,
            nickname=nickname,
            organisation=organisation,
            email=email,
        )
        if notice:
            notices.append(notice)
        phones = [_phone_from_tel(prop.text) for prop in card.all("TEL") if prop.text]
        phone = _first_valid([number for number, _ in phones], validate_phone)
        extension = next((ext for number, ext in phones if number == phone and ext), "")
        notes = "\n\n".join(prop.text for prop in card.all("NOTE") if prop.text)
        if extension:
            notes = "\n\n".join(
                part
                for part in (notes, gettext("Phone extension: %(extension)s") % {"extension": extension})
                if part
            )
            notices.append(
                gettext("The phone extension %(extension)s is kept in the notes.") % {"extension": extension}
            )
        if other_names:
            notes = "\n\n".join(
                part
                for part in (notes, gettext("Also written: %(names)s") % {"names": ", ".join(other_names)})
                if part
            )
        fields = {
            "name": name,
            "email": email,
            "phone": phone,
            "notes": notes,
            "relationship": card.first_text("ROLE") or card.first_text("X-SUPPORTNET-RELATIONSHIP"),
        }
        categories = [
            word.strip().casefold()
            for prop in card.all("CATEGORIES")
            for word in re.split(r"(?<!\\),", prop.raw_value)
        ]
        support_types = sorted(
            {SUPPORT_TYPE_BY_WORD[word] for word in categories if word in SUPPORT_TYPE_BY_WORD}
        )
        if support_types:
            fields["support_types"] = support_types
        for field, property_name in VCARD_EXTENSIONS.items():
            value = card.first_text(property_name)
            if not value:
                continue
            if field in ("is_crisis_contact", "is_archived"):
                fields[field] = value.lower() in TRUE_WORDS
            elif field == "rhythm_days":
                if value.isdigit() and len(value) <= 3:
                    fields[field] = int(value)
                else:
                    problems.append(_problem("every how many days", gettext("it should be a whole number")))
            else:
                fields[field] = value
        people.append(person_record(where, fields, notices=notices, problems=problems, source=card.source))
        if len(people) > MAX_PEOPLE:
            break
    return {"people": people, "check_ins": [], "notices": stray[:3]}


# --- CSV ---------------------------------------------------------------------------------------

GOOGLE_MULTI_VALUE = " ::: "

# Our own headers, and those of Google Contacts, Outlook and phone exports, lower case.
CSV_ALIASES = {
    "name": ["name", "full name", "display name", "fn"],
    "first": ["first name", "given name"],
    "middle": ["middle name", "additional name"],
    "last": ["last name", "family name", "surname"],
    "prefix": ["title", "name prefix"],
    "suffix": ["suffix", "name suffix"],
    "nickname": ["nickname"],
    "organisation": ["company", "organization 1 - name", "organisation", "organization"],
    "notes": ["notes", "note"],
}
EMAIL_HEADER = re.compile(r"^e-?mail(?: ?\d+)?(?: - value| address)?$|^e-?mail \d+ address$")
PHONE_HEADERS = [
    "phone",
    "mobile",
    "mobile phone",
    "phone number",
    "primary phone",
    "home phone",
    "business phone",
    "home phone 2",
    "business phone 2",
    "other phone",
    "company main phone",
]
PHONE_VALUE_HEADER = re.compile(r"^phone \d+ - value$")
OWN_FIELDS = [field for field in SUPPORTER_FIELDS if field not in ("name", "notes", "email", "phone")]


def _header_map(header):
    normalised = [cell.strip().lower() for cell in header]
    mapping = {}
    for field in OWN_FIELDS:
        if field in normalised:
            mapping[field] = normalised.index(field)
    for field, aliases in CSV_ALIASES.items():
        for alias in aliases:
            if alias in normalised:
                mapping[field] = normalised.index(alias)
                break
    mapping["emails"] = [position for position, cell in enumerate(normalised) if EMAIL_HEADER.match(cell)]
    mapping["phones"] = [normalised.index(cell) for cell in PHONE_HEADERS if cell in normalised] + [
        position for position, cell in enumerate(normalised) if PHONE_VALUE_HEADER.match(cell)
    ]
    return mapping


def _uncsv_safe(value: str) -> str:
    """Undo `csv_safe`: our export puts a ' before cells a spreadsheet would run as a formula."""
    if value.startswith("'") and value[1:2] in ("=", "@", "+", "-", "\t", "\r"):
        return value[1:]
    return value


def _csv_text(raw: bytes) -> tuple[str, list[str]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        notice = gettext(
            "This file is not UTF-8, so we read it as Windows-1252 (Western European), as Outlook and "
            "Excel write it. Check that the names look right before you add them."
        )
        return raw.decode(LEGACY_CSV_ENCODING, "replace"), [notice]


def parse_csv(raw: bytes) -> dict:
    text, file_notices = _csv_text(raw)
    text = re.sub(r"\r*\n|\r", "\n", text)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(gettext("This file is empty.")) from None
    except csv.Error as error:
        raise ImportFileError(
            gettext("Line %(line)s could not be read as CSV (%(reason)s).")
            % {"line": 1, "reason": _csv_reason(error)}
        ) from None
    columns = _header_map(header)
    name_columns = ("name", "first", "last", "nickname", "organisation")
    if not any(field in columns for field in name_columns) and not columns["emails"]:
        raise ImportFileError(
            gettext(
                "Line 1 should name the columns, with one called “name” (or “first name” and “last name”)."
            )
        )
    people = []
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ImportFileError(
                gettext("Line %(line)s could not be read as CSV (%(reason)s).")
                % {"line": start, "reason": _csv_reason(error)}
            ) from None
        if not any(cell.strip() for cell in row):
            continue
        people.append(_csv_record(gettext("Line %(line)s") % {"line": start}, row, header, columns))
        if len(people) > MAX_PEOPLE:
            break
    return {"people": people, "check_ins": [], "notices": file_notices, "header": header}


def _csv_reason(error) -> str:
    message = str(error)
    if "EOF" in message or "quote" in message:
        return gettext("a quoted cell is never closed")
    return gettext("its quotes or separators are out of place")


def _csv_record(where, row, header, columns):
    problems = []
    if len(row) > len(header):
        problems.append(
            _problem(
                "row",
                gettext("it has %(cells)d cells but the first line names %(columns)d columns")
                % {"cells": len(row), "columns": len(header)},
            )
        )

    def cell(position):
        return _uncsv_safe(row[position].strip()) if position is not None and position < len(row) else ""

    def values(positions):
        return [part.strip() for position in positions for part in cell(position).split(GOOGLE_MULTI_VALUE)]

    email = _first_valid(values(columns["emails"]), validate_email)
    structured = " ".join(
        cell(columns.get(part))
        for part in ("prefix", "first", "middle", "last", "suffix")
        if cell(columns.get(part))
    )
    name, notice = name_with_fallback(
        full_name=cell(columns.get("name")),
        structured_name=structured,
        nickname=cell(columns.get("nickname")),
        organisation=cell(columns.get("organisation")),
        email=email,
    )
    # A sheet with only first and last names is not missing anything: say nothing then.
    notices = [notice] if notice and "name" in columns else []
    fields = {
        "name": name,
        "email": email,
        "phone": _first_valid(values(columns["phones"]), validate_phone),
        "notes": cell(columns.get("notes")),
    }
    for field in OWN_FIELDS:
        if field in columns:
            fields[field] = cell(columns[field])
    if fields.get("support_types"):
        fields["support_types"] = [
            kind.strip() for kind in fields["support_types"].split(";") if kind.strip()
        ]
    for flag in ("is_crisis_contact", "is_archived"):
        if flag in fields:
            fields[flag] = fields[flag].lower() in TRUE_WORDS
    if fields.get("rhythm_days"):
        if fields["rhythm_days"].isdigit() and len(fields["rhythm_days"]) <= 3:
            fields["rhythm_days"] = int(fields["rhythm_days"])
        else:
            problems.append(_problem("every how many days", gettext("it should be a whole number")))
            fields.pop("rhythm_days")
    return person_record(where, fields, notices=notices, problems=problems, source=row)


# --- SupportNet JSON export --------------------------------------------------------------------

JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|-?\d[\d.eE+\-]*')


def check_json_shape(text: str) -> None:
    """Refuse deep nesting and huge numbers before json.loads, which would recurse or convert them."""
    depth = 0
    for match in JSON_TOKENS.finditer(text):
        token = match.group()
        first = token[0]
        if first in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                raise ImportFileError(
                    gettext("Line %(line)s nests lists or objects too deeply for a SupportNet export.")
                    % {"line": line}
                )
        elif first in "]}":
            depth -= 1
        elif first != '"' and len(token) > MAX_JSON_NUMBER_DIGITS:
            line = text.count("\n", 0, match.start()) + 1
            raise ImportFileError(
                gettext("Line %(line)s has a number too long for a SupportNet export.") % {"line": line}
            )


def _parse_moment(value, where):
    try:
        moment = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ImportFileError(
            gettext("%(where)s: “%(value)s” is not a date and time.")
            % {"where": where, "value": str(value)[:40]}
        ) from None
    if moment.tzinfo is None:
        raise ImportFileError(gettext("%(where)s: the date and time has no time zone.") % {"where": where})
    if moment > timezone.now():
        raise ImportFileError(gettext("%(where)s is in the future.") % {"where": where})
    return moment.isoformat()


def parse_json(text: str) -> dict:
    check_json_shape(text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            gettext(
                "Line %(line)s is not valid JSON: something is missing or out of place near character "
                "%(column)s. Download a fresh export and try again."
            )
            % {"line": error.lineno, "column": error.colno}
        ) from None
    except (RecursionError, ValueError):
        raise ImportFileError(gettext("This file is not a SupportNet export we can read.")) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ImportFileError(gettext("This JSON file is not a SupportNet export."))
    supporters = data.get("supporters")
    check_ins = data.get("check_ins", [])
    if not isinstance(supporters, list) or not isinstance(check_ins, list):
        raise ImportFileError(gettext("This SupportNet export has no list of supporters."))
    people, known_ids = [], set()
    for index, entry in enumerate(supporters, start=1):
        where = gettext("Supporter %(number)s in the file") % {"number": index}
        if not isinstance(entry, dict):
            people.append(
                person_record(
                    where,
                    {},
                    problems=[_problem("entry", gettext("it is not a set of fields"))],
                    source=entry,
                )
            )
            continue
        problems = []
        fields = {field: entry.get(field) for field in SUPPORTER_FIELDS if field in entry}
        for field in TEXT_FIELDS:
            if field in fields and not isinstance(fields[field], str | type(None)):
                problems.append(_problem(field, gettext("it should be text")))
                fields.pop(field)
        if not isinstance(fields.get("support_types", []), list):
            problems.append(_problem("kinds of support", gettext("they should be a list")))
            fields.pop("support_types")
        if "rhythm_days" in fields and not isinstance(fields["rhythm_days"], int | type(None)):
            problems.append(_problem("every how many days", gettext("it should be a whole number")))
            fields.pop("rhythm_days")
        for flag in ("is_crisis_contact", "is_archived"):
            if flag in fields:
                fields[flag] = bool(fields[flag])
        record = person_record(where, fields, problems=problems, source=entry)
        record["source_id"] = entry.get("id")
        people.append(record)
        known_ids.add(entry.get("id"))
        if len(people) > MAX_PEOPLE:
            return {"people": people, "check_ins": [], "notices": []}
    parsed_check_ins = []
    for index, entry in enumerate(check_ins, start=1):
        where = gettext("Check-in %(number)s in the file") % {"number": index}
        if not isinstance(entry, dict) or entry.get("supporter_id") not in known_ids:
            raise ImportFileError(
                gettext("%(where)s does not belong to any supporter in the file.") % {"where": where}
            )
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
            raise ImportFileError(
                gettext("%(where)s could not be read: %(problems)s") % {"where": where, "problems": problems}
            ) from None
        parsed_check_ins.append({"supporter_source_id": entry["supporter_id"], **fields})
    return {"people": people, "check_ins": parsed_check_ins, "notices": []}


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
        if person["problems"]:
            continue
        if _name_key(fields["name"]) in by_name:
            found[position] = gettext("same name as %(name)s") % {"name": by_name[_name_key(fields["name"])]}
        elif fields.get("email") and fields["email"].casefold() in by_email:
            found[position] = gettext("same email as %(name)s") % {
                "name": by_email[fields["email"].casefold()]
            }
        elif _phone_key(fields.get("phone")) in by_phone:
            found[position] = gettext("same phone number as %(name)s") % {
                "name": by_phone[_phone_key(fields["phone"])]
            }
    return found


# --- The ones left out, as a file to fix -------------------------------------------------------


def skipped_as_file(*, file_format: str, parsed: dict) -> tuple[str, str, str]:
    """The records with problems in their own format: (content, content type, file name)."""
    skipped = [person for person in parsed["people"] if person["problems"]]
    if file_format == ImportFormat.VCARD:
        return "".join(person["source"] for person in skipped), "text/vcard", "to-fix.vcf"
    if file_format == ImportFormat.CSV:
        output = io.StringIO()
        writer = csv.writer(output)
        writer.writerow([*parsed["header"], gettext("What to fix")])
        width = len(parsed["header"])
        for person in skipped:
            cells = (person["source"] + [""] * width)[:width]
            writer.writerow([*cells, describe_problems(person["problems"])])
        return output.getvalue(), "text/csv", "to-fix.csv"
    ids = {json.dumps(person["source"].get("id")) for person in skipped if isinstance(person["source"], dict)}
    content = {
        "format": FORMAT_NAME,
        "version": 1,
        "supporters": [person["source"] for person in skipped],
        "check_ins": [
            {
                "supporter_id": entry["supporter_source_id"],
                **{field: entry[field] for field in CHECK_IN_FIELDS},
            }
            for entry in parsed["check_ins"]
            if json.dumps(entry["supporter_source_id"]) in ids
        ],
    }
    return json.dumps(content, indent=2, ensure_ascii=False), "application/json", "to-fix.json"


def describe_problems(problems) -> str:
    return "; ".join(f"{problem['field']}: {problem['why']}" for problem in problems)
