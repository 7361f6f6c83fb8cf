"""Invitations and consent, asks for support, plan shares and their audit: every write lives here.

The rule that matters most: SupportNet emails a supporter an ask only while their consent says
"agreed", and checks it again just before sending. The invitation is the one email before that;
it says who asked and why, and its "no thanks" link stops any further invitation from that person.
"""

import datetime
import logging
import smtplib
from dataclasses import dataclass
from functools import partial

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from checkins.models import CheckInKind, InitiatedBy
from checkins.services.check_ins import check_in_log
from contacts.models import Channel, Supporter
from core.counters import count_in_window
from core.links import LinkRefused, absolute_url, signed_link_read
from core.support_types import SupportType
from sharing.links import mailto_link, sms_link, whatsapp_link
from sharing.models import (
    AskRecipient,
    ConsentStatus,
    DeliveryStatus,
    PlanShare,
    SharingEvent,
    SharingEventKind,
    SupportAsk,
    SupporterConsent,
    new_link_nonce,
)
from wellbeing import services as wellbeing_services

logger = logging.getLogger(__name__)

CONSENT_SALT = "sharing.supporter-consent"
# The invitation and every ask email carry a link the supporter can use this long.
CONSENT_LINK_MAX_AGE = datetime.timedelta(days=30)
# A supporter not answering is not asked again sooner than this.
REINVITE_AFTER = datetime.timedelta(days=7)
INVITES_PER_DAY = 10
ASKS_PER_HOUR = 6
ASK_WINDOW = datetime.timedelta(days=7)

# Suggested first words for each kind of support; the person edits them before sending.
ASK_MESSAGES = {
    SupportType.EMOTIONAL: gettext_lazy(
        "Hi, I'm having a hard time today. Could you listen for a bit, by phone or in person?"
    ),
    SupportType.INFORMATIONAL: gettext_lazy(
        "Hi, I'm trying to work something out and could use your advice. Could we talk?"
    ),
    SupportType.INSTRUMENTAL: gettext_lazy(
        "Hi, could you help me with something practical today, like a lift or some shopping?"
    ),
    SupportType.PEER: gettext_lazy(
        "Hi, I'm struggling a bit and it would help to talk with someone who gets it. Are you around?"
    ),
    SupportType.PROFESSIONAL: gettext_lazy(
        "Hello, I'm finding things difficult at the moment and would like to arrange to talk."
    ),
}
ASK_LABELS = {
    SupportType.EMOTIONAL: gettext_lazy("Someone to listen"),
    SupportType.INFORMATIONAL: gettext_lazy("Advice or information"),
    SupportType.INSTRUMENTAL: gettext_lazy("Practical help (a lift, shopping)"),
    SupportType.PEER: gettext_lazy("Someone who has been there"),
    SupportType.PROFESSIONAL: gettext_lazy("A professional"),
}


class SharingRefused(Exception):
    """A request that cannot go ahead, with a kind message that is safe to show. Nothing changed."""


class AskNotDelivered(Exception):
    """The mail server did not take the ask; the recipient row is back to "queued" for a retry."""


def audit(*, owner, kind, supporter_name="", now):
    SharingEvent.objects.create(owner=owner, kind=kind, supporter_name=supporter_name[:100], happened_at=now)


def rate_limit_exceeded(*, key, limit, window_seconds):
    """Count one more try; True once `limit` tries were made within the window."""
    return count_in_window(f"sharing:rl:{key}", window_seconds=window_seconds) > limit


# --- Consent: invitation, answer, boundaries, withdrawal ----------------------------------------


def consents_for(*, owner):
    return (
        SupporterConsent.objects.filter(owner=owner).select_related("supporter").order_by("supporter__name")
    )


def consent_for(*, owner, consent_id):
    """One of the person's own consents, or 404."""
    consent = consents_for(owner=owner).filter(pk=consent_id).first()
    if consent is None:
        raise Http404(gettext_lazy("No such supporter of yours."))
    return consent


@transaction.atomic
def consent_invite(*, owner, supporter_id, email, from_name, now):
    """Ask one of the person's supporters, by email, whether SupportNet may send them asks."""
    supporter = Supporter.objects.for_owner(owner).active().filter(pk=supporter_id).first()
    if supporter is None:
        raise SharingRefused(_("Please choose someone from your own network."))
    consent = SupporterConsent.objects.select_for_update().filter(supporter=supporter).first()
    if consent and consent.status == ConsentStatus.AGREED and consent.email.lower() == email.lower():
        raise SharingRefused(_("%(name)s has already agreed.") % {"name": supporter.name})
    if consent and consent.status in (ConsentStatus.DECLINED, ConsentStatus.WITHDRAWN):
        raise SharingRefused(
            _(
                "%(name)s said they would rather not hear from SupportNet, so we will not ask them "
                "again. You can still reach them from your own phone or email."
            )
            % {"name": supporter.name}
        )
    if consent and consent.status == ConsentStatus.INVITED and consent.invited_at > now - REINVITE_AFTER:
        raise SharingRefused(
            _("%(name)s was invited recently. Give them a few days: they can answer for a month.")
            % {"name": supporter.name}
        )
    if rate_limit_exceeded(key=f"invite:{owner.pk}", limit=INVITES_PER_DAY, window_seconds=24 * 3600):
        raise SharingRefused(_("You have sent a lot of invitations today. Please try again tomorrow."))
    if consent is None:
        consent = SupporterConsent(owner=owner, supporter=supporter)
    consent.email = email
    consent.from_name = from_name
    consent.status = ConsentStatus.INVITED
    consent.link_nonce = new_link_nonce()
    consent.invited_at = now
    consent.answered_at = None
    consent.timezone = owner.timezone
    consent.save()
    audit(owner=owner, kind=SharingEventKind.INVITED, supporter_name=supporter.name, now=now)
    from sharing.tasks import send_invitation

    transaction.on_commit(partial(send_invitation.delay, consent.pk))
    return consent


def consent_token_make(consent):
    return signing.dumps({"c": consent.pk, "n": consent.link_nonce}, salt=CONSENT_SALT)


def consent_url(consent):
    return absolute_url(reverse("sharing:consent", args=[consent_token_make(consent)]))


def consent_from_token(token):
    """The consent a supporter's link is about, or LinkRefused with a message to show."""
    payload = signed_link_read(
        token,
        salt=CONSENT_SALT,
        max_age=CONSENT_LINK_MAX_AGE,
        expired_message=_(
            "This link has expired: links in our emails work for 30 days. The next email has a new one."
        ),
    )
    consent = (
        SupporterConsent.objects.select_related("owner", "supporter")
        .filter(pk=payload.get("c"), link_nonce=payload.get("n"), owner__is_active=True)
        .first()
    )
    if consent is None:
        raise LinkRefused(_("This link no longer works: the invitation or share it was about has ended."))
    return consent


@dataclass
class Boundaries:
    how_to_ask: str = ""
    quiet_from: datetime.time | None = None
    quiet_until: datetime.time | None = None
    timezone: str = "UTC"
    most_asks_per_week: int | None = None


@transaction.atomic
def consent_agree(*, consent, boundaries: Boundaries, now):
    """The supporter agrees (or, having agreed, changes how they like to be asked)."""
    if consent.status not in (ConsentStatus.INVITED, ConsentStatus.AGREED):
        raise LinkRefused(_("This invitation has ended."))
    first_answer = consent.status == ConsentStatus.INVITED
    for field, value in vars(boundaries).items():
        setattr(consent, field, value)
    consent.status = ConsentStatus.AGREED
    if first_answer:
        consent.answered_at = now
    consent.save()
    kind = SharingEventKind.AGREED if first_answer else SharingEventKind.BOUNDARIES
    audit(owner=consent.owner, kind=kind, supporter_name=consent.supporter.name, now=now)
    return consent


@transaction.atomic
def consent_decline(*, consent, now):
    """No to the invitation, or, after agreeing, a withdrawal: no more email, no share, no new links."""
    if consent.status not in (ConsentStatus.INVITED, ConsentStatus.AGREED):
        raise LinkRefused(_("This invitation has ended."))
    withdrawing = consent.status == ConsentStatus.AGREED
    consent.status = ConsentStatus.WITHDRAWN if withdrawing else ConsentStatus.DECLINED
    consent.answered_at = now
    consent.link_nonce = new_link_nonce()
    consent.save(update_fields=["status", "answered_at", "link_nonce"])
    ended_share = PlanShare.objects.filter(consent=consent).delete()[0]
    # Asks not yet emailed are not sent now.
    AskRecipient.objects.filter(
        supporter=consent.supporter, status=DeliveryStatus.QUEUED, ask__owner=consent.owner
    ).update(status=DeliveryStatus.SKIPPED, failure_reason=_("They withdrew before it was sent."))
    kind = SharingEventKind.WITHDREW if withdrawing else SharingEventKind.DECLINED
    audit(owner=consent.owner, kind=kind, supporter_name=consent.supporter.name, now=now)
    if ended_share:
        audit(
            owner=consent.owner, kind=SharingEventKind.REVOKED, supporter_name=consent.supporter.name, now=now
        )
    return consent


def invitation_email(*, consent):
    context = {
        "consent": consent,
        "from_name": consent.from_name,
        "consent_url": consent_url(consent),
        "site_url": settings.SITE_URL,
        "days": CONSENT_LINK_MAX_AGE.days,
    }
    return supporter_email(template="sharing-invitation", context=context, consent=consent)


def supporter_email(*, template, context, consent):
    subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{template}-body.txt", context),
        to=[consent.email],
        headers={"List-Unsubscribe": f"<{context['consent_url']}>", "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string(f"emails/{template}-body.html", context), "text/html")
    return message


def invitation_send(*, consent_id):
    """Send the invitation, if it is still open. SMTP failures raise for the task to retry."""
    consent = (
        SupporterConsent.objects.select_related("owner", "supporter")
        .filter(pk=consent_id, status=ConsentStatus.INVITED)
        .first()
    )
    if consent is None:
        return False
    invitation_email(consent=consent).send()
    return True


# --- Asking for support -------------------------------------------------------------------------


@dataclass
class Candidate:
    supporter: Supporter
    consent: SupporterConsent | None
    asks_this_week: int
    is_quiet_now: bool

    @property
    def may_email(self):
        """SupportNet may email them: agreed, and under the most asks a week they set."""
        consent = self.consent
        if consent is None or not consent.has_agreed:
            return False
        return consent.most_asks_per_week is None or self.asks_this_week < consent.most_asks_per_week


def ask_candidates(*, owner, support_type, now):
    """The person's active supporters who give this kind of support, each with their consent and
    boundaries and how often they were asked this week: two queries whatever the size."""
    supporters = list(
        Supporter.objects.for_owner(owner).active().giving(support_type).select_related("consent")
    )
    counts = dict(
        AskRecipient.objects.filter(ask__owner=owner, ask__created_at__gte=now - ASK_WINDOW)
        .values_list("supporter")
        .annotate(count=Count("id"))
    )
    candidates = []
    for supporter in supporters:
        consent = getattr(supporter, "consent", None)
        candidates.append(
            Candidate(
                supporter=supporter,
                consent=consent,
                asks_this_week=counts.get(supporter.pk, 0),
                is_quiet_now=bool(consent and consent.has_agreed and consent.is_quiet_at(now)),
            )
        )
    return candidates


@transaction.atomic
def ask_create(*, owner, support_type, message, supporter_ids, email_ids, form_key, now):
    """Record one ask: the people chosen, a check-in "asked for support" with each, and the emails
    SupportNet sends (queued after the commit) to those who agreed. The same form sent twice
    returns the first ask and logs nothing more."""
    existing = SupportAsk.objects.filter(owner=owner, form_key=form_key).first()
    if existing:
        return existing
    chosen = set(supporter_ids) | set(email_ids)
    if not chosen:
        raise SharingRefused(_("Please choose at least one person to ask."))
    candidates = {
        candidate.supporter.pk: candidate
        for candidate in ask_candidates(owner=owner, support_type=support_type, now=now)
    }
    if not chosen <= candidates.keys():
        raise SharingRefused(_("Please choose people from your own network who give this kind of support."))
    for supporter_id in email_ids:
        if not candidates[supporter_id].may_email:
            raise SharingRefused(
                _(
                    "SupportNet cannot email %(name)s: they have not agreed, "
                    "or they have had as many asks this week as they said is fine. You can still send it "
                    "from your own phone."
                )
                % {"name": candidates[supporter_id].supporter.name}
            )
    if rate_limit_exceeded(key=f"ask:{owner.pk}", limit=ASKS_PER_HOUR, window_seconds=3600):
        raise SharingRefused(
            _(
                "You have asked several times in the last hour. Please use the links on your last ask, "
                "or call someone: the crisis page has their numbers."
            )
        )
    try:
        with transaction.atomic():
            ask = SupportAsk.objects.create(
                owner=owner, support_type=support_type, message=message, form_key=form_key, created_at=now
            )
    except IntegrityError:  # The same form, sent twice at once: the other request recorded it.
        return SupportAsk.objects.get(owner=owner, form_key=form_key)
    queued = []
    for supporter_id in sorted(chosen):
        supporter = candidates[supporter_id].supporter
        by_email = supporter_id in email_ids
        recipient = AskRecipient.objects.create(
            ask=ask,
            supporter=supporter,
            by_email=by_email,
            status=DeliveryStatus.QUEUED if by_email else DeliveryStatus.OWN_APP,
        )
        check_in_log(
            owner=owner,
            supporter=supporter,
            happened_at=now,
            channel=Channel.EMAIL if by_email or not supporter.phone else Channel.MESSAGE,
            initiated_by=InitiatedBy.ME,
            kind=CheckInKind.ASKED_FOR_SUPPORT,
        )
        audit(owner=owner, kind=SharingEventKind.ASKED, supporter_name=supporter.name, now=now)
        if by_email:
            queued.append(recipient.pk)
    from sharing.tasks import send_ask_email

    for recipient_id in queued:
        transaction.on_commit(partial(send_ask_email.delay, recipient_id))
    return ask


def ask_for(*, owner, ask_id):
    ask = SupportAsk.objects.filter(owner=owner, pk=ask_id).first()
    if ask is None:
        raise Http404(_("No such ask of yours."))
    return ask


@dataclass
class AskLinks:
    recipient: AskRecipient
    sms: str | None
    whatsapp: str | None
    mailto: str | None


def ask_links(*, ask, country):
    """Each person asked, with prefilled links for the person's own phone and mail apps."""
    subject = _("Could you help?")
    return [
        AskLinks(
            recipient=recipient,
            sms=sms_link(recipient.supporter.phone, ask.message, country=country),
            whatsapp=whatsapp_link(recipient.supporter.phone, ask.message, country=country),
            mailto=mailto_link(recipient.supporter.email, ask.message, subject=subject),
        )
        for recipient in ask.recipients.select_related("supporter")
    ]


def ask_email(*, recipient, consent):
    context = {
        "consent": consent,
        "from_name": consent.from_name,
        "message": recipient.ask.message,
        "support_label": ASK_LABELS[SupportType(recipient.ask.support_type)],
        "consent_url": consent_url(consent),
        "site_url": settings.SITE_URL,
    }
    return supporter_email(template="sharing-ask", context=context, consent=consent)


def ask_email_send(*, recipient_id, now):
    """Claim one queued ask email and send it, if the supporter still agrees. True if it went out."""
    claimed = AskRecipient.objects.filter(pk=recipient_id, status=DeliveryStatus.QUEUED).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1
    )
    if not claimed:
        return False  # Sent, being sent or skipped: a second delivery of the task stops here.
    recipient = AskRecipient.objects.select_related("ask", "ask__owner", "supporter").get(pk=recipient_id)
    consent = SupporterConsent.objects.filter(
        supporter=recipient.supporter, status=ConsentStatus.AGREED, owner=recipient.ask.owner
    ).first()
    if consent is None:
        AskRecipient.objects.filter(pk=recipient_id).update(
            status=DeliveryStatus.SKIPPED, failure_reason=_("They had not agreed to hear from SupportNet.")
        )
        return False
    try:
        ask_email(recipient=recipient, consent=consent).send()
    except (smtplib.SMTPException, OSError) as error:
        reason = f"{type(error).__name__}: {error}"[:1000]
        AskRecipient.objects.filter(pk=recipient_id, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.QUEUED, failure_reason=reason
        )
        raise AskNotDelivered(reason) from error
    with transaction.atomic():
        AskRecipient.objects.filter(pk=recipient_id).update(
            status=DeliveryStatus.SENT, sent_at=now, failure_reason=""
        )
        audit(
            owner=recipient.ask.owner,
            kind=SharingEventKind.EMAILED,
            supporter_name=recipient.supporter.name,
            now=now,
        )
    return True


def ask_email_mark_failed(*, recipient_id, reason):
    AskRecipient.objects.filter(pk=recipient_id, status=DeliveryStatus.QUEUED).update(
        status=DeliveryStatus.FAILED, failure_reason=reason
    )
    logger.warning("Ask email %s failed: %s", recipient_id, reason)


# --- Sharing the crisis plan --------------------------------------------------------------------


@transaction.atomic
def plan_share_start(*, owner, consent_id, now):
    consent = consent_for(owner=owner, consent_id=consent_id)
    if not consent.has_agreed:
        raise SharingRefused(
            _("%(name)s needs to agree first, through the link in our email.")
            % {"name": consent.supporter.name}
        )
    _share, created = PlanShare.objects.get_or_create(
        consent=consent, defaults={"owner": owner, "created_at": now}
    )
    if created:
        audit(owner=owner, kind=SharingEventKind.SHARED, supporter_name=consent.supporter.name, now=now)


@transaction.atomic
def plan_share_revoke(*, owner, consent_id, now):
    consent = consent_for(owner=owner, consent_id=consent_id)
    if PlanShare.objects.filter(consent=consent, owner=owner).delete()[0]:
        audit(owner=owner, kind=SharingEventKind.REVOKED, supporter_name=consent.supporter.name, now=now)


def shares_visible_to(*, user):
    """Plan shares this signed-in account may read: the supporter agreed, and the address they agreed
    with is one of this account's confirmed addresses."""
    addresses = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    query = Q()
    for address in addresses:
        query |= Q(consent__email__iexact=address)
    if not query:
        return PlanShare.objects.none()
    return (
        PlanShare.objects.filter(query, consent__status=ConsentStatus.AGREED, owner__is_active=True)
        .exclude(owner=user)
        .select_related("consent")
        .order_by("consent__from_name", "pk")
    )


def shared_plan_for(*, user, share_id):
    """The share and the person's current plan sections, or 404 ("this share has ended")."""
    share = shares_visible_to(user=user).filter(pk=share_id).first()
    if share is None:
        raise Http404(_("This share has ended."))
    return share, wellbeing_services.plan_sections(wellbeing_services.plan_for(user=share.owner))


# --- Audit, export ------------------------------------------------------------------------------


def events_for(*, owner, limit=None):
    events = SharingEvent.objects.filter(owner=owner)
    return events[:limit] if limit else events


def export_for(*, user):
    """Everything this app stores about the person, as plain JSON-ready data."""
    return {
        "supporters_who_were_invited": [
            {
                "supporter_id": consent.supporter_id,
                "supporter_name": consent.supporter.name,
                "email": consent.email,
                "status": consent.status,
                "invited_at": consent.invited_at.isoformat(),
                "answered_at": consent.answered_at.isoformat() if consent.answered_at else None,
                "how_they_like_to_be_asked": consent.how_to_ask,
                "quiet_from": consent.quiet_from.isoformat() if consent.quiet_from else None,
                "quiet_until": consent.quiet_until.isoformat() if consent.quiet_until else None,
                "timezone": consent.timezone,
                "most_asks_per_week": consent.most_asks_per_week,
                "can_see_my_crisis_plan": hasattr(consent, "plan_share"),
            }
            for consent in consents_for(owner=user).select_related("plan_share")
        ],
        "asks": [
            {
                "asked_at": ask.created_at.isoformat(),
                "support_type": ask.support_type,
                "message": ask.message,
                "asked": [
                    {
                        "supporter_id": recipient.supporter_id,
                        "by_supportnet_email": recipient.by_email,
                        "status": recipient.status,
                        "sent_at": recipient.sent_at.isoformat() if recipient.sent_at else None,
                    }
                    for recipient in ask.recipients.all()
                ],
            }
            for ask in SupportAsk.objects.filter(owner=user).prefetch_related("recipients")
        ],
        "history": [
            {"what": event.kind, "who": event.supporter_name, "when": event.happened_at.isoformat()}
            for event in events_for(owner=user)
        ],
    }
