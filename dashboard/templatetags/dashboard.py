import re

from django import template

register = template.Library()


@register.filter
def tel_href(phone):
    """A `tel:` link target: the digits of a phone number as typed, with a leading + kept."""
    phone = phone.strip()
    return "tel:" + ("+" if phone.startswith("+") else "") + re.sub(r"\D", "", phone)


@register.filter
def days_ago(days):
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"
