from django import template

from contacts.models import SupportType
from resources.emergency import emergency_number_for
from resources.models import Resource

register = template.Library()


def _country(context, country):
    """The country given, else `country` in the context, else the signed-in person's."""
    if country is None:
        country = context.get("country")
    if country is None:
        country = getattr(context.get("user"), "country", "")
    return str(country or "")


@register.simple_tag(takes_context=True)
def crisis_lines_for(context, country=None):
    """Published crisis lines for a country and the international ones."""
    country = _country(context, country)
    return list(Resource.objects.published().crisis_lines().for_country(country).local_first())


@register.simple_tag(takes_context=True)
def directory_for(context, country=None):
    """Published resources for a country and everywhere, in one query, for `offering` to split: those for
    anyone, and those for a topic the signed-in person chose to tell (never a default programme)."""
    country = _country(context, country)
    topics = getattr(context.get("user"), "recovery_topic_list", [])
    return list(Resource.objects.published().for_country(country).suggested_for(topics).local_first())


@register.filter
def offering(resources, support_type):
    """The resources from `directory_for` that offer a type of support, crisis lines last, at most three."""
    field = f"gives_{SupportType(support_type).value}"
    matching = [resource for resource in resources if getattr(resource, field)]
    return sorted(matching, key=lambda resource: resource.kind == "crisis_line")[:3]


@register.simple_tag(takes_context=True)
def emergency_number(context, country=None):
    """The emergency number for a country (else `country` in the context, else the person's), or None."""
    return emergency_number_for(_country(context, country))
