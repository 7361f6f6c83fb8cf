from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("push/snippets/devices.html", takes_context=True)
def notification_devices(context, user):
    """The account page's list of devices with notifications on, and the switch for this one."""
    return {
        "csrf_token": context.get("csrf_token"),
        "devices": list(user.push_subscriptions.all()) if settings.WEBPUSH_ENABLED else [],
        "push_enabled": settings.WEBPUSH_ENABLED,
        "vapid_public_key": settings.WEBPUSH_VAPID_PUBLIC_KEY,
    }
