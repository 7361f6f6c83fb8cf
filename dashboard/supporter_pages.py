"""The supporter list and a supporter's page: contacts' supporters with what checkins knows of them.

Page-level views, so that `contacts` (below `checkins`) never reaches up for due moments, the
check-in form or recent check-ins. Their URLs keep the `contacts:` names (supportnet/urls.py)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from checkins.due import supporter_due_summary
from checkins.forms import CheckInForm
from contacts.forms import SupporterFilterForm
from contacts.models import Supporter
from contacts.views import get_supporter_or_404, support_types_explained
from core.support_types import SUPPORT_TYPE_DESCRIPTIONS

RECENT_CHECK_INS = 5
# People per page of the supporter list: a page costs the same to build whatever the network's size.
LIST_PAGE_SIZE = 24


@login_required
def supporter_list(request):
    filters = SupporterFilterForm(request.GET)
    supporters = filters.filter(Supporter.objects.for_owner(request.user).select_related("owner"))
    page = Paginator(supporters, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    has_any = bool(page.object_list) or Supporter.objects.for_owner(request.user).exists()
    now = timezone.now()
    for supporter in page.object_list:
        supporter.due = supporter_due_summary(supporter, now=now)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "contacts/list.html",
        {
            "supporters": page.object_list,
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
            "query": query.urlencode(),
            "filters": filters,
            "has_any": has_any,
            "support_types": support_types_explained(),
        },
    )


@login_required
def supporter_detail(request, pk):
    supporter = get_supporter_or_404(request, pk)
    supporter_types = [(kind, SUPPORT_TYPE_DESCRIPTIONS[kind]) for kind in supporter.support_types]
    now = timezone.now()
    supporter.due = supporter_due_summary(supporter, now=now)
    return render(
        request,
        "contacts/detail.html",
        {
            "supporter": supporter,
            "supporter_types": supporter_types,
            "check_in_form": CheckInForm.for_supporter(supporter, now=now),
            "recent_check_ins": list(supporter.check_ins.all()[:RECENT_CHECK_INS]),
        },
    )


urlpatterns = [
    path("", supporter_list, name="list"),
    path("<int:pk>/", supporter_detail, name="detail"),
]
