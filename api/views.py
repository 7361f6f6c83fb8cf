from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from api import services
from api.forms import AccessTokenForm
from api.models import AccessToken
from api.problems import problem


@login_required
def token_list(request):
    """The person's tokens (with last use) and a form to make one. A new secret is shown once."""
    form = AccessTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = services.token_create(user=request.user, now=timezone.now(), **form.cleaned_data)
        form = AccessTokenForm()
    now = timezone.now()
    tokens = [(token, token.is_usable(now)) for token in AccessToken.objects.for_owner(request.user)]
    return render(request, "api/tokens.html", {"form": form, "tokens": tokens, "secret": secret})


@require_POST
@login_required
def token_revoke(request, pk):
    token = get_object_or_404(AccessToken.objects.for_owner(request.user), pk=pk)
    services.token_revoke(token=token, now=timezone.now())
    messages.success(
        request,
        _("“%(name)s” is revoked. Anything using it can no longer reach your data.") % {"name": token.name},
    )
    return redirect("tokens:list")


def docs(request):
    """The API's documentation, drawn by Swagger UI from /api/v1/openapi.json (assets: static/vendor)."""
    return render(request, "api/docs.html")


def unknown_path(request, rest=""):
    return problem(404, _("There is no such address in the API. See /api/v1/docs/."))
