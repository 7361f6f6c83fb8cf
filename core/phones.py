"""Turning phone numbers as people write them into links a phone can act on.

A directory entry's number may be a number to call ("116 123"), a text line ("Text SHOUT to
85258") or both ("Call or text 988"); a crisis plan's free text may hold numbers among words.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

# A number as typed: an optional +, then digits with spaces, dashes, dots or brackets between.
NUMBER = r"\+?\(?\d[\d\s().-]*\d\)?"
TEXT_KEYWORD_TO = re.compile(rf"\btext\s+([A-Za-z][A-Za-z0-9]*)\s+to\s+({NUMBER})", re.IGNORECASE)
TEXTABLE = re.compile(r"\btext\b", re.IGNORECASE)
CALLABLE = re.compile(r"\b(call|ring|phone|dial|tel|telephone)\b", re.IGNORECASE)
NUMBER_IN_PROSE = re.compile(rf"(?<![\w+]){NUMBER}(?!\w)")
DATE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
# Numbers in prose that are this short are linked only right after "call", "ring", "text"...
SHORT_NUMBER_DIGITS = 6
CALL_WORD_BEFORE = re.compile(r"\b(call|ring|phone|dial|tel|telephone|text|on)\W{0,3}$", re.IGNORECASE)


@dataclass(frozen=True)
class PhoneAction:
    kind: str  # "call" or "text"
    href: str
    label: str


def dialable(number):
    """The digits of a number as typed, with a leading + kept: what tel: and sms: links carry."""
    number = number.strip()
    return ("+" if number.startswith("+") else "") + re.sub(r"\D", "", number)


def tel_href(number):
    return f"tel:{dialable(number)}"


def sms_href(number, body=""):
    return f"sms:{dialable(number)}" + (f"?body={body}" if body else "")


def phone_actions(phone):
    """What a phone field lets a person do, in order: "Text SHOUT to 85258" is one text action,
    "116 123" one call, "Call or text 988" a call and a text."""
    keyword_line = TEXT_KEYWORD_TO.search(phone)
    if keyword_line:
        keyword, number = keyword_line.groups()
        return [
            PhoneAction(
                "text",
                sms_href(number, keyword),
                gettext("Text %(keyword)s to %(number)s") % {"keyword": keyword, "number": number.strip()},
            )
        ]
    match = NUMBER_IN_PROSE.search(phone)
    if not match:
        return []
    number = match.group().strip()
    said_text = bool(TEXTABLE.search(phone))
    said_call = bool(CALLABLE.search(phone)) or not said_text
    actions = []
    if said_call:
        actions.append(PhoneAction("call", tel_href(number), gettext("Call %(number)s") % {"number": number}))
    if said_text:
        actions.append(PhoneAction("text", sms_href(number), gettext("Text %(number)s") % {"number": number}))
    return actions


def link_phone_numbers(text):
    """`text` as safe HTML with its phone numbers made tappable: "text WORD to NUMBER" as an sms:
    link with the word as its body, other numbers as tel: links. Short numbers (999, 988) only
    count after "call", "ring", "text" or similar, so "3 times a week" or a year stay words."""
    parts = []
    position = 0
    for match in re.finditer(rf"{TEXT_KEYWORD_TO.pattern}|{NUMBER_IN_PROSE.pattern}", text, re.IGNORECASE):
        link = _link_for(match, text)
        if link is None:
            continue
        parts.append(escape(text[position : match.start()]))
        parts.append(link)
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 (every part is escaped)


def _link_for(match, text):
    keyword, keyword_number = match.group(1), match.group(2)
    if keyword:
        return format_html('<a href="{}">{}</a>', sms_href(keyword_number, keyword), match.group())
    number = match.group()
    digits = dialable(number).lstrip("+")
    if DATE.fullmatch(number.strip()):
        return None
    after_a_call_word = CALL_WORD_BEFORE.search(text[: match.start()])
    if not number.startswith("+") and len(digits) < SHORT_NUMBER_DIGITS and not after_a_call_word:
        return None
    if len(digits) < 3:
        return None
    return format_html('<a href="{}">{}</a>', tel_href(number), number)
