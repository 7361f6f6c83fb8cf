from django import template

from dashboard.offline import device_owner_token, offline_pages

register = template.Library()


@register.simple_tag(takes_context=True)
def device_owner(context):
    """The token that names whose crisis pages this device may keep ("" for a visitor)."""
    user = context.get("user")
    return device_owner_token(user) if user is not None and user.is_authenticated else ""


@register.simple_tag
def offline_page_paths():
    return " ".join(offline_pages())
