"""Keeping the crisis pages on a person's device, when they ask for it."""

from django.urls import reverse
from django.utils.crypto import salted_hmac


def device_owner_token(user):
    """Names whose copy a device keeps without naming the person: when someone else signs in on the
    same browser, the pages see a different token and delete the copy."""
    return salted_hmac("supportnet.offline-copy-owner", str(user.pk)).hexdigest()[:32]


def offline_pages():
    """The only private pages a device may keep: the crisis page (crisis contacts and lines) and the plan."""
    return [reverse("dashboard:crisis"), reverse("wellbeing:plan")]
