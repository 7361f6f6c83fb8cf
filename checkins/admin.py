from django.contrib import admin
from django.utils import timezone

from checkins.models import Digest
from core.admin_lookups import ListedFiltersOnlyMixin


class StuckFilter(admin.SimpleListFilter):
    """Digests in one state longer than the sweep's recovery should leave them: look at these first."""

    title = "stuck"
    parameter_name = "stuck"

    def lookups(self, request, model_admin):
        return [("yes", "Stuck longer than expected")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.stuck(now=timezone.now())
        return queryset


@admin.register(Digest)
class DigestAdmin(ListedFiltersOnlyMixin, admin.ModelAdmin):
    """Delivery of reminder emails, for operators: status and failure reasons, never whom they list."""

    list_display = [
        "scheduled_on",
        "user",
        "status",
        "attempts",
        "queued_at",
        "claimed_at",
        "sent_at",
        "failure_reason",
    ]
    list_filter = [StuckFilter, "status", "scheduled_on"]
    search_fields = ["user__email"]
    date_hierarchy = "scheduled_on"
    readonly_fields = [field.name for field in Digest._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
