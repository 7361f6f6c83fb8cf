"""Turning notifications on and off per device. The JSON views answer our own static/js/push.js."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts.devices import device_name
from push import services
from push.models import PushSubscription

MAX_BODY_BYTES = 8192


def get_subscription_or_404(request, pk):
    return get_object_or_404(PushSubscription, pk=pk, user=request.user)


def refused(message, status=400):
    return JsonResponse({"error": message}, status=status)


def json_body(request):
    """The request's JSON object, or None when it is not one (too long, not JSON, not an object)."""
    if len(request.body) > MAX_BODY_BYTES or request.content_type != "application/json":
        return None
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


@login_required
@require_POST
def subscribe(request):
    data = json_body(request)
    if data is None:
        return refused(
            gettext("Turning on notifications needs JavaScript in this browser. Nothing was saved.")
        )
    try:
        cleaned = services.subscription_data_clean(data.get("subscription"))
        subscription = services.push_subscription_save(
            user=request.user,
            data=cleaned,
            device_name=device_name(request.headers.get("User-Agent", "")),
            now=timezone.now(),
        )
    except services.SubscriptionRefused as refusal:
        return refused(gettext("%(reason)s Nothing was saved.") % {"reason": refusal})
    return JsonResponse({"id": subscription.pk, "device_name": subscription.device_name}, status=201)


@login_required
@require_POST
def unsubscribe(request):
    """This browser turned its notifications off: forget its subscription (only if it is ours)."""
    data = json_body(request)
    endpoint = data.get("endpoint") if data else None
    if not isinstance(endpoint, str) or len(endpoint) > services.MAX_ENDPOINT_LENGTH:
        return refused(gettext("That is not a subscription address. Nothing was changed."))
    removed = services.push_subscription_delete(user=request.user, endpoint=endpoint)
    return JsonResponse({"removed": removed})


@login_required
@require_POST
def remove(request, pk):
    subscription = get_subscription_or_404(request, pk)
    subscription.delete()
    messages.success(
        request, gettext("Notifications are off for %(device)s.") % {"device": subscription.device_name}
    )
    return redirect(reverse("accounts:settings") + "#devices")
