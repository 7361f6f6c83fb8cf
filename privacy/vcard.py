"""A forgiving vCard reader (2.1, 3.0 and 4.0 as address books really write them).

Strict parsers refuse whole files for quirks that real exports have: `\\r\\r\\n` line endings from
iPhones, `PROFILE:VCard` from Lotus Notes, quoted-printable soft line breaks and legacy character
sets from vCard 2.1 phones, unescaped commas in FN from Gmail. This reader takes each card apart
line by line, keeps the line numbers of the file as the person sees it, and never raises: a line it
cannot read becomes a problem of that card only.
"""

import codecs
import quopri
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext

LINE_BREAK = re.compile(rb"\r*\n|\r")
PARAMETER_SPLIT = re.compile(r';(?=(?:[^"]*"[^"]*")*[^"]*$)')
COMPONENT_SPLIT = re.compile(r"(?<!\\);")
ESCAPES = re.compile(r"\\(.)")
LEGACY_CHARSET = "cp1252"


@dataclass
class Property:
    name: str  # upper case, without its group ("item1.")
    params: dict[str, list[str]]  # upper-case keys; TYPE values lower case
    raw_value: str  # still escaped
    line: int

    @property
    def types(self) -> list[str]:
        return self.params.get("TYPE", [])

    @property
    def preference(self) -> int:
        """Lower comes first, as PREF=1 in 4.0 and TYPE=pref in 2.1/3.0 mean."""
        if "PREF" in self.params:
            value = self.params["PREF"][0]
            return int(value) if value.isdigit() else 1
        return 1 if "pref" in self.types else 100

    @property
    def text(self) -> str:
        return unescape(self.raw_value).strip()

    @property
    def components(self) -> list[str]:
        return [unescape(part).strip() for part in COMPONENT_SPLIT.split(self.raw_value)]


@dataclass
class Card:
    number: int
    line: int
    properties: list[Property] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    source: str = ""

    def all(self, name: str) -> list[Property]:
        """Every property called `name`, the preferred ones first (stable otherwise)."""
        found = [prop for prop in self.properties if prop.name == name]
        return sorted(found, key=lambda prop: prop.preference)

    def first_text(self, name: str) -> str:
        return next((prop.text for prop in self.all(name) if prop.text), "")


def unescape(value: str) -> str:
    return ESCAPES.sub(lambda match: "\n" if match.group(1) in "nN" else match.group(1), value)


def _decode_line(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        charset = re.search(rb";CHARSET=([A-Za-z0-9_\-]+)", raw[: raw.find(b":") + 1 or None], re.I)
        return raw.decode(_codec(charset.group(1).decode() if charset else LEGACY_CHARSET), "replace")


def _codec(charset: str) -> str:
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return LEGACY_CHARSET


def _physical_lines(raw: bytes) -> list[str]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Outlook can write UTF-16
        raw = raw.decode("utf-16").encode("utf-8")
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    return [_decode_line(line) for line in LINE_BREAK.split(raw)]


def _is_quoted_printable(head: str) -> bool:
    upper = head.upper()
    return "QUOTED-PRINTABLE" in upper


def _logical_lines(lines: list[str]):
    """(line number, text) for each property, with folded lines joined again."""
    current, start = None, 0
    for number, line in enumerate(lines, start=1):
        if current is not None and line[:1] in (" ", "\t"):
            current += line[1:]
            continue
        if current is not None and current.endswith("=") and _is_quoted_printable(current.split(":", 1)[0]):
            current = current[:-1] + "=\r\n" + line  # a quoted-printable soft line break
            continue
        if current is not None:
            yield start, current
        current, start = line, number
    if current is not None:
        yield start, current


def _parse_property(text: str, line: int) -> Property | None:
    head, colon, value = _split_value(text)
    if not colon:
        return None
    parts = PARAMETER_SPLIT.split(head)
    name = parts[0].rsplit(".", 1)[-1].strip().upper()
    if not name:
        return None
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        key, equals, values = part.partition("=")
        if not equals:  # vCard 2.1: TEL;CELL;PREF and ENCODING given bare
            key, values = _bare_parameter(key)
        key = key.strip().upper()
        for item in values.split(","):
            item = item.strip().strip('"')
            params.setdefault(key, []).append(item.lower() if key == "TYPE" else item)
    encoding = params.get("ENCODING", [""])[0].upper()
    if encoding == "QUOTED-PRINTABLE":
        charset = _codec(params.get("CHARSET", ["utf-8"])[0])
        decoded = quopri.decodestring(value.encode("latin-1", "replace"))
        try:
            value = decoded.decode(charset)
        except UnicodeDecodeError:
            value = decoded.decode(LEGACY_CHARSET, "replace")
        value = value.replace("\r\n", "\n").replace("\n", "\\n")  # keep it escaped like the rest
    return Property(name=name, params=params, raw_value=value, line=line)


def _split_value(text: str) -> tuple[str, str, str]:
    """Split at the first colon outside double quotes (parameter values may contain colons)."""
    head, colon, value = text.partition(":")
    if '"' not in head:
        return head, colon, value
    quoted = False
    for position, character in enumerate(text):
        if character == '"':
            quoted = not quoted
        elif character == ":" and not quoted:
            return text[:position], ":", text[position + 1 :]
    return text, "", ""


def _bare_parameter(value: str) -> tuple[str, str]:
    upper = value.strip().upper()
    if upper in ("QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"):
        return "ENCODING", upper
    if upper.startswith("CHARSET"):
        return "CHARSET", upper
    return "TYPE", value


def read_cards(raw: bytes) -> tuple[list[Card], list[str]]:
    """The cards in a file, and problems outside any card (text between cards, a missing END)."""
    lines = _physical_lines(raw)
    cards: list[Card] = []
    stray: list[str] = []
    card: Card | None = None
    first_line = 0
    for line, text in _logical_lines(lines):
        upper = text.strip().upper()
        if upper == "BEGIN:VCARD":
            if card is not None:
                card.problems.append(gettext("it has no END:VCARD before line %(line)s") % {"line": line})
                card.source = "\r\n".join(lines[first_line - 1 : line - 1])
                cards.append(card)
            card, first_line = Card(number=len(cards) + 1, line=line), line
        elif card is None:
            if text.strip():
                stray.append(
                    gettext("Line %(line)s is outside any card (cards start with BEGIN:VCARD).")
                    % {"line": line}
                )
        elif upper == "END:VCARD":
            card.source = "\r\n".join(lines[first_line - 1 : line]) + "\r\n"
            cards.append(card)
            card = None
        elif text.strip():
            prop = _parse_property(text, line)
            if prop is None:
                card.problems.append(gettext("line %(line)s is not a valid vCard line") % {"line": line})
            else:
                card.properties.append(prop)
    if card is not None:
        card.problems.append(gettext("it has no END:VCARD"))
        card.source = "\r\n".join(lines[first_line - 1 :]) + "\r\nEND:VCARD\r\n"
        cards.append(card)
    return cards, stray


def escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a space (RFC 6350 section 3.2)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line + "\r\n"
    pieces, current, size = [], "", 0
    for character in line:
        width = len(character.encode("utf-8"))
        if size + width > (75 if not pieces else 74):
            pieces.append(current)
            current, size = "", 0
        current += character
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces) + "\r\n"
