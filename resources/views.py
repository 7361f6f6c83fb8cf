from django.shortcuts import render

from core.support_types import SUPPORT_TYPE_DESCRIPTIONS, SupportType
from resources.forms import ResourceFilterForm
from resources.models import KIND_HEADINGS, Kind, Resource


def resource_list(request):
    """The published directory, for the visitor's country (from their account, or chosen here)."""
    own_country = str(getattr(request.user, "country", "") or "")
    data = {"country": own_country, **request.GET.dict()}
    form = ResourceFilterForm(data)
    filters = form.cleaned_data if form.is_valid() else {"country": own_country, "type": "", "kind": ""}

    resources = Resource.objects.published().for_country(filters["country"]).local_first()
    if filters["type"]:
        resources = resources.offering(filters["type"])
    if filters["kind"]:
        resources = resources.filter(kind=filters["kind"])
    groups = {kind: [] for kind in Kind}
    for resource in resources:
        groups[Kind(resource.kind)].append(resource)

    support_type = SupportType(filters["type"]) if filters["type"] else None
    return render(
        request,
        "resources/list.html",
        {
            "form": form,
            "groups": [(KIND_HEADINGS[kind], items) for kind, items in groups.items() if items],
            "count": sum(len(items) for items in groups.values()),
            "support_type": support_type,
            "support_type_description": SUPPORT_TYPE_DESCRIPTIONS.get(support_type),
            "country_set": bool(filters["country"]),
            "own_country": own_country,
        },
    )
