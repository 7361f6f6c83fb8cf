"""Prefilled links that open the person's own phone or mail app with an ask written in.

Nothing is sent by SupportNet through these: the person's app sends it, if they choose.
"""

import re
from urllib.parse import quote

import phonenumbers


def phone_e164(phone, *, country=""):
    """The number in international form ("+447700900123"), reading a national number ("07700 900123")
    as one of `country` (the person's own). None when it cannot be read as a phone number."""
    try:
        number = phonenumbers.parse(phone, (country or "").upper() or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def encoded(text):
    """Percent-encoded for a URL query value: spaces as %20 (mail and SMS apps show a "+" as is)."""
    return quote(text.replace("\r\n", "\n"), safe="")


def sms_link(phone, message, *, country=""):
    """With no country to read a national number by, its digits as written: the person's own phone
    dials it in its own country."""
    number = phone_e164(phone, country=country)
    if number is None:
        digits = re.sub(r"\D", "", phone or "")
        if len(digits) < 3:
            return None
        number = ("+" if phone.strip().startswith("+") else "") + digits
    return f"sms:{number}?body={encoded(message)}"


def whatsapp_link(phone, message, *, country=""):
    number = phone_e164(phone, country=country)
    return f"https://wa.me/{number.lstrip('+')}?text={encoded(message)}" if number else None


def mailto_link(email, message, *, subject):
    return (
        f"mailto:{quote(email, safe='@')}?subject={encoded(subject)}&body={encoded(message)}"
        if email
        else None
    )
