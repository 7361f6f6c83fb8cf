from django import template
from django.utils.translation import gettext, ngettext

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
def days_ago(days):
    if days <= 0:
        return gettext("today")
    if days == 1:
        return gettext("yesterday")
    return ngettext("%(days)d day ago", "%(days)d days ago", days) % {"days": days}
