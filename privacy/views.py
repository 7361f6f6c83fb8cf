import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.downloads import download_response
from privacy import services
from privacy.exports import export_everything, supporters_as_csv, supporters_as_vcards
from privacy.forms import DeleteAccountForm, ImportConfirmForm, ImportUploadForm
from privacy.imports import ImportFileError
from privacy.models import CalendarFeed, PendingImport

# The new feed address is shown once, on the page after it is made; only its hash is kept.
NEW_FEED_TOKEN_SESSION_KEY = "privacy_new_calendar_token"  # noqa: S105 - a session key name


def get_pending_import_or_404(request, pk):
    """The signed-in person's own import waiting for confirmation, or a 404 for anyone else's."""
    return get_object_or_404(PendingImport.objects.filter(owner=request.user), pk=pk)


@login_required
def export_json(request):
    data = export_everything(user=request.user, now=timezone.now())
    content = json.dumps(data, indent=2, ensure_ascii=False)
    return download_response(
        content, content_type="application/json; charset=utf-8", filename="supportnet-export.json"
    )


@login_required
def export_csv(request):
    # ?for=spreadsheet adds a byte order mark: Excel then reads UTF-8 and keeps non-Latin names.
    for_spreadsheet = request.GET.get("for") == "spreadsheet"
    content = supporters_as_csv(user=request.user, byte_order_mark=for_spreadsheet)
    return download_response(content, content_type="text/csv; charset=utf-8", filename="supporters.csv")


@login_required
def export_vcard(request):
    content = supporters_as_vcards(user=request.user)
    return download_response(content, content_type="text/vcard; charset=utf-8", filename="supporters.vcf")


@login_required
def import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending = services.import_start(
                owner=request.user, file_name=upload.name, raw=upload.read(), now=timezone.now()
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("privacy:import_preview", pk=pending.pk)
    return render(request, "privacy/import.html", {"form": form})


@login_required
def import_preview(request, pk):
    pending = get_pending_import_or_404(request, pk)
    preview = services.import_preview(pending=pending)
    form = ImportConfirmForm(request.POST or None, needs_support_types=preview["needs_support_types"])
    if request.method == "POST" and form.is_valid():
        added, check_ins = services.import_confirm(pending=pending, **form.cleaned_data)
        parts = [
            ngettext(
                "%(count)d person added to your support network.",
                "%(count)d people added to your support network.",
                added,
            )
            % {"count": added}
        ]
        left_out = preview["problem_count"]
        if left_out:
            parts.append(
                ngettext(
                    "%(count)d with a problem was left out.",
                    "%(count)d with problems were left out.",
                    left_out,
                )
                % {"count": left_out}
            )
        if check_ins:
            parts.append(
                ngettext("%(count)d check-in added too.", "%(count)d check-ins added too.", check_ins)
                % {"count": check_ins}
            )
        message = " ".join(parts)
        messages.success(request, message)
        return redirect("contacts:list")
    return render(
        request, "privacy/import_preview.html", {"pending": pending, "preview": preview, "form": form}
    )


@login_required
def import_skipped(request, pk):
    pending = get_pending_import_or_404(request, pk)
    content, content_type, filename = services.import_skipped_file(pending=pending)
    return download_response(content, content_type=f"{content_type}; charset=utf-8", filename=filename)


@login_required
@require_POST
def import_cancel(request, pk):
    get_pending_import_or_404(request, pk).delete()
    messages.success(request, _("Nothing was imported."))
    return redirect("accounts:settings")


@login_required
def calendar_feed(request):
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(user=request.user)
            messages.success(request, _("Your calendar feed is turned off. Its address no longer works."))
        else:
            request.session[NEW_FEED_TOKEN_SESSION_KEY] = services.calendar_feed_renew(user=request.user)
        return redirect("privacy:calendar")
    token = request.session.pop(NEW_FEED_TOKEN_SESSION_KEY, None)
    feed_url = settings.SITE_URL + reverse("privacy:calendar_ics", args=[token]) if token else None
    feed = CalendarFeed.objects.filter(owner=request.user).first()
    return render(request, "privacy/calendar.html", {"feed": feed, "feed_url": feed_url})


@never_cache
def calendar_feed_ics(request, token):
    owner = services.calendar_feed_owner(token=token)
    if owner is None:
        raise Http404(_("No such calendar feed."))
    content = services.calendar_for(user=owner, now=timezone.now(), site_url=settings.SITE_URL)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="supportnet.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def account_delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.account_delete(user=user)
        return render(request, "privacy/deleted.html")
    return render(request, "privacy/delete_account.html", {"form": form})
