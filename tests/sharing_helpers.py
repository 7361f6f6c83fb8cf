"""Making consents, shares and asks for the tests, as the services would leave them."""

import datetime

from django.utils import timezone

from sharing.models import ConsentStatus, PlanShare, SupportAsk, SupporterConsent
from tests.factories import SupporterFactory
from wellbeing.models import SafetyPlan


def make_consent(
    owner, *, email="sam.supporter@example.net", status=ConsentStatus.AGREED, supporter=None, **fields
):
    supporter = supporter or SupporterFactory(owner=owner, email=email, phone="07700 900123")
    return SupporterConsent.objects.create(
        owner=owner,
        supporter=supporter,
        email=email,
        from_name="Alex",
        status=status,
        invited_at=timezone.now() - datetime.timedelta(days=1),
        **fields,
    )


def make_share(owner, *, email, plan_words="SECRET-PLAN-WORDS", supporter=None):
    SafetyPlan.objects.get_or_create(owner=owner, defaults={"warning_signs": plan_words})
    consent = make_consent(owner, email=email, supporter=supporter)
    return PlanShare.objects.create(owner=owner, consent=consent, created_at=timezone.now())


def make_ask(owner, *, message="Could you call me tonight?"):
    return SupportAsk.objects.create(
        owner=owner, support_type="emotional", message=message, form_key="k" * 32, created_at=timezone.now()
    )
