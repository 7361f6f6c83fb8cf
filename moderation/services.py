import logging

from allauth.account.models import EmailAddress
from allauth.core.context import request_context
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from moderation.models import AccountAction, AccountActionKind

logger = logging.getLogger(__name__)


class ModerationError(Exception):
    """An action that makes no sense for this account, with a message to show the moderator."""


def _check_may_act(*, actor: User, account: User, reason: str) -> None:
    if actor.pk == account.pk:
        raise ModerationError(_("You cannot do this to your own account."))
    if (account.is_staff or account.is_superuser) and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser may act on a staff account."))
    if not reason.strip():
        raise ModerationError(_("A reason is required."))


def _record(*, actor: User, account: User, action: str, reason: str) -> AccountAction:
    return AccountAction.objects.create(
        actor=actor, actor_email=actor.email, account=account, action=action, reason=reason.strip()
    )


def _send_account_notice(*, email: str, language: str, template: str, reason: str) -> None:
    """Tell the person what happened to their account. A mail failure is logged, never raised."""
    context = {"reason": reason, "site_url": settings.SITE_URL}
    with translation.override(language):  # Theirs, not the moderator's.
        subject = render_to_string(f"emails/{template}-subject.txt", context).strip()
        message = EmailMultiAlternatives(
            subject=subject, body=render_to_string(f"emails/{template}-body.txt", context), to=[email]
        )
        message.attach_alternative(render_to_string(f"emails/{template}-body.html", context), "text/html")
    try:
        message.send()
    except Exception:
        logger.exception("Could not email the %s notice", template)


def _account_set_active(*, actor: User, account: User, reason: str, active: bool) -> AccountAction:
    """Deactivate or reactivate an account, audited; the person is emailed the reason once this commits."""
    _check_may_act(actor=actor, account=account, reason=reason)
    kind, template = (
        (AccountActionKind.REACTIVATE, "account-reactivated")
        if active
        else (AccountActionKind.DEACTIVATE, "account-deactivated")
    )
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        if account.is_active == active:
            raise ModerationError(
                _("This account is already active.") if active else _("This account is already deactivated.")
            )
        account.is_active = active
        account.save(update_fields=["is_active"])
        action = _record(actor=actor, account=account, action=kind, reason=reason)
        transaction.on_commit(
            lambda: _send_account_notice(
                email=account.email, language=account.language, template=template, reason=reason
            )
        )
    return action


def account_deactivate(*, actor: User, account: User, reason: str) -> AccountAction:
    """Stop an account: no sign-in, no reminders."""
    return _account_set_active(actor=actor, account=account, reason=reason, active=False)


def account_reactivate(*, actor: User, account: User, reason: str) -> AccountAction:
    return _account_set_active(actor=actor, account=account, reason=reason, active=True)


def account_resend_confirmation(*, actor: User, account: User, reason: str, request) -> AccountAction:
    """Send a fresh confirmation link to the account's unconfirmed primary address."""
    _check_may_act(actor=actor, account=account, reason=reason)
    address = EmailAddress.objects.filter(user=account, email__iexact=account.email).first()
    if address is None:
        address = EmailAddress.objects.create(user=account, email=account.email, primary=True, verified=False)
    if address.verified:
        raise ModerationError(_("This address is already confirmed."))
    with transaction.atomic():
        action = _record(
            actor=actor, account=account, action=AccountActionKind.RESEND_CONFIRMATION, reason=reason
        )
        transaction.on_commit(lambda: _send_confirmation(address=address, request=request))
    return action


def _send_confirmation(*, address: EmailAddress, request) -> None:
    # allauth reads the request from its own context, which is gone if this runs after the response.
    with request_context(request):
        address.send_confirmation(request=request, signup=False)
