from django import template
from django.template.defaultfilters import linebreaksbr

from core import phones

register = template.Library()


@register.filter
def with_phone_links(text):
    """The person's own words, escaped, line breaks kept, phone numbers made tappable."""
    return linebreaksbr(phones.link_phone_numbers(text or ""))
