from django import template
from django.template.defaultfilters import linebreaksbr

from core import phones

register = template.Library()


@register.filter
def tel_href(phone):
    """A `tel:` link target: the digits of a phone number as typed, with a leading + kept."""
    return phones.tel_href(phone or "")


@register.filter
def sms_href(phone):
    return phones.sms_href(phone or "")


@register.filter
def with_phone_links(text):
    """The person's own words, escaped, line breaks kept, phone numbers made tappable."""
    return linebreaksbr(phones.link_phone_numbers(text or ""))
