import re

from django import template

register = template.Library()


@register.filter
def tel_href(phone):
    """A phone number as a `tel:` link target: digits, a leading +, and * or # only."""
    return "tel:" + re.sub(r"[^0-9+*#]", "", phone or "")
