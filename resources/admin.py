from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.fields import Country

from core.admin_lookups import ListedFiltersOnlyMixin
from core.text import MultiLineField, SingleLineField
from resources.models import Resource


class VerifiedFilter(admin.SimpleListFilter):
    title = "verified"
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [("never", _("Never: verify before relying on it")), ("yes", _("Verified at least once"))]

    def queryset(self, request, queryset):
        if self.value() == "never":
            return queryset.filter(last_verified_on__isnull=True)
        if self.value() == "yes":
            return queryset.filter(last_verified_on__isnull=False)
        return queryset


class CountryFilter(admin.SimpleListFilter):
    """Only the countries the directory has entries for, not all 249."""

    title = "where"
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = Resource.objects.order_by().values_list("country", flat=True).distinct()
        entries = [(code or "everywhere", Country(code).name if code else _("Everywhere")) for code in codes]
        return sorted(entries, key=lambda entry: (entry[0] != "everywhere", entry[1]))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(country="" if self.value() == "everywhere" else self.value())
        return queryset


@admin.register(Resource)
class ResourceAdmin(ListedFiltersOnlyMixin, admin.ModelAdmin):
    """The shared directory of help. Moderators add, edit, publish and unpublish; nobody deletes in
    passing (unpublish instead), though superusers can."""

    list_display = ["name", "kind", "area", "phone", "is_published", "verified"]
    list_filter = ["is_published", "kind", VerifiedFilter, CountryFilter]
    search_fields = ["name", "description", "phone", "website", "region"]
    date_hierarchy = "updated_at"
    actions = ["publish", "unpublish", "mark_verified_today"]
    # Names, phones and hours on one line, descriptions without control characters (core.text).
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        models.CharField: {"form_class": SingleLineField},
        models.TextField: {"form_class": MultiLineField},
    }
    fieldsets = [
        (None, {"fields": ["name", "kind", "topic", "description"]}),
        (
            _("Support it offers"),
            {
                "fields": [
                    ("gives_emotional", "gives_informational", "gives_instrumental"),
                    ("gives_peer", "gives_professional"),
                ]
            },
        ),
        (_("Where"), {"fields": ["country", "region"]}),
        (_("How to reach it"), {"fields": ["phone", "website", "opening_hours"]}),
        (_("Publishing"), {"fields": ["is_published", "last_verified_on"]}),
    ]

    @admin.display(description="where", ordering="country")
    def area(self, resource):
        return resource.area

    @admin.display(description=_("last verified"), ordering="last_verified_on")
    def verified(self, resource):
        return resource.last_verified_on or _("Never: verify before relying on it")

    def _update(self, request, queryset, message, **changes):
        for resource in queryset:
            for field, value in changes.items():
                setattr(resource, field, value)
            resource.save(update_fields=[*changes, "updated_at"])
            self.log_change(request, resource, message)
        count = len(queryset)
        self.message_user(request, f"{message}: " + ngettext("%d entry.", "%d entries.", count) % count)

    @admin.action(description=_("Publish the selected entries"), permissions=["change"])
    def publish(self, request, queryset):
        self._update(request, queryset, _("Published"), is_published=True)

    @admin.action(description=_("Unpublish the selected entries"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._update(request, queryset, _("Unpublished"), is_published=False)

    @admin.action(description=_("Mark the selected entries as verified today"), permissions=["change"])
    def mark_verified_today(self, request, queryset):
        self._update(request, queryset, _("Marked as verified today"), last_verified_on=timezone.localdate())
