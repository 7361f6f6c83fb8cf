from django.contrib import admin

from checkins.models import Digest
from supportnet.admin_lookups import ListedFiltersOnlyMixin


@admin.register(Digest)
class DigestAdmin(ListedFiltersOnlyMixin, admin.ModelAdmin):
    """Delivery of reminder emails, for operators: status and failure reasons, never whom they list."""

    list_display = ["scheduled_on", "user", "status", "attempts", "sent_at", "failure_reason"]
    list_filter = ["status", "scheduled_on"]
    search_fields = ["user__email"]
    date_hierarchy = "scheduled_on"
    readonly_fields = [field.name for field in Digest._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
