"""The admin pages where a moderator acts on one account, always giving a reason."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.text import MultiLineField
from moderation import services
from moderation.queries import with_activity_counts


class ReasonForm(forms.Form):
    reason = MultiLineField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        error_messages={"required": "Please give a reason. It is kept in the audit log."},
    )


ACTIONS = {
    "deactivate": {
        "label": _("Deactivate account"),
        "permission": "moderation.deactivate_account",
        "applies": lambda account: account.is_active,
        "service": services.account_deactivate,
        "title": _("Deactivate {email}"),
        "explanation": _(
            "They will not be able to sign in and will get no reminders until the account is "
            "reactivated. Their data is kept. They are emailed this reason, so write it for them to read."
        ),
        "done": _("The account is deactivated and the person has been emailed."),
    },
    "reactivate": {
        "label": _("Reactivate account"),
        "permission": "moderation.deactivate_account",
        "applies": lambda account: not account.is_active,
        "service": services.account_reactivate,
        "title": _("Reactivate {email}"),
        "explanation": _(
            "They will be able to sign in again and their reminders resume. They are emailed "
            "this reason, so write it for them to read."
        ),
        "done": _("The account is active again and the person has been emailed."),
    },
    "resend-confirmation": {
        "label": _("Resend confirmation email"),
        "permission": "moderation.resend_confirmation",
        "applies": lambda account: account.is_active and not account.email_verified,
        "service": services.account_resend_confirmation,
        "title": _("Resend the confirmation email to {email}"),
        "explanation": _(
            "A new link to confirm the address is sent. The reason is kept in the audit log only."
        ),
        "done": _("A new confirmation email is on its way."),
    },
}


def _may(request, account, spec):
    if not request.user.has_perm(spec["permission"]):
        return False
    if account.pk == request.user.pk:
        return False
    return request.user.is_superuser or not (account.is_staff or account.is_superuser)


def available_actions(request, object_id):
    """(name, label) of the actions this visitor may take on this account now."""
    account = _get_account(object_id)
    if account is None:
        return []
    return [
        (name, spec["label"])
        for name, spec in ACTIONS.items()
        if spec["applies"](account) and _may(request, account, spec)
    ]


def _get_account(object_id):
    try:
        return with_activity_counts(User.objects.all()).get(pk=unquote(str(object_id)))
    except (User.DoesNotExist, ValueError):
        return None


def _action_view(name):
    spec = ACTIONS[name]

    def view(request, object_id, model_admin):
        account = _get_account(object_id)
        if account is None:
            raise Http404
        if not _may(request, account, spec):
            raise PermissionDenied
        change_url = reverse("admin:accounts_user_change", args=[account.pk])
        if not spec["applies"](account):
            messages.warning(request, _("That does not apply to this account any more."))
            return redirect(change_url)
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                spec["service"](
                    actor=request.user,
                    account=account,
                    reason=form.cleaned_data["reason"],
                    **({"request": request} if name == "resend-confirmation" else {}),
                )
            except services.ModerationError as error:
                messages.error(request, str(error))
                return redirect(change_url)
            model_admin.log_change(request, account, spec["label"])
            messages.success(request, spec["done"])
            return redirect(change_url)
        context = {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "original": account,
            "title": spec["title"].format(email=account.email),
            "explanation": spec["explanation"],
            "button": spec["label"],
            "form": form,
            "change_url": change_url,
            "is_danger": name == "deactivate",
        }
        return TemplateResponse(request, "admin/moderation/account_action.html", context)

    return view


ACCOUNT_ACTION_VIEWS = {name: _action_view(name) for name in ACTIONS}
