from django import template

from contacts.models import SupportType
from resources.models import Resource

register = template.Library()


@register.simple_tag
def crisis_lines_for(country):
    """Published crisis lines for a country (ISO code, may be empty) and the international ones."""
    return list(Resource.objects.published().crisis_lines().for_country(country).local_first())


@register.simple_tag
def directory_for(country):
    """All published resources for a country and everywhere, in one query, for `offering` to split."""
    return list(Resource.objects.published().for_country(country).local_first())


@register.filter
def offering(resources, support_type):
    """The resources from `directory_for` that offer a type of support, crisis lines last, at most three."""
    field = f"gives_{SupportType(support_type).value}"
    matching = [resource for resource in resources if getattr(resource, field)]
    return sorted(matching, key=lambda resource: resource.kind == "crisis_line")[:3]
