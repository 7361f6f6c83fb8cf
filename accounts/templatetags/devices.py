from django import template

from accounts.devices import device_name as name_of_device

register = template.Library()


@register.filter
def device_name(user_agent):
    """{{ session.user_agent|device_name }}: "Firefox on Windows" rather than the raw string."""
    return name_of_device(user_agent or "")
