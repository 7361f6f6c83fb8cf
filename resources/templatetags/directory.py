from django import template

from core.support_types import SupportType
from resources.emergency import emergency_number_for

register = template.Library()


def _country(context, country):
    """The country given, else `country` in the context, else the signed-in person's."""
    if country is None:
        country = context.get("country")
    if country is None:
        country = getattr(context.get("user"), "country", "")
    return str(country or "")


@register.filter
def offering(resources, support_type):
    """The resources from `resources.directory.directory_for` that offer a type of support, crisis lines last, at most three."""
    field = f"gives_{SupportType(support_type).value}"
    matching = [resource for resource in resources if getattr(resource, field)]
    return sorted(matching, key=lambda resource: resource.kind == "crisis_line")[:3]


@register.simple_tag(takes_context=True)
def emergency_number(context, country=None):
    """The emergency number for a country (else `country` in the context, else the person's), or None."""
    return emergency_number_for(_country(context, country))
