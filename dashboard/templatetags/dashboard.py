from django import template
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.filter
def days_ago(days):
    if days <= 0:
        return gettext("today")
    if days == 1:
        return gettext("yesterday")
    return ngettext("%(days)d day ago", "%(days)d days ago", days) % {"days": days}


@register.simple_tag(takes_context=True)
def hole(context, name, argument=""):
    """Where the view puts something read per request into a page kept in the cache (dashboard.holes)."""
    return context["holes"].mark(name, argument)
