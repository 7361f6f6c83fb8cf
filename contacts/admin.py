from django.contrib import admin

from contacts.models import Supporter
from core.admin_lookups import ListedFiltersOnlyMixin


@admin.register(Supporter)
class SupporterAdmin(ListedFiltersOnlyMixin, admin.ModelAdmin):
    """Supporters are private: only superusers see them here (the moderators issue decides more)."""

    list_display = ["name", "owner", "circle", "is_archived", "created_at"]
    list_filter = ["circle", "is_archived"]
    raw_id_fields = ["owner"]
    # Encrypted private text stays out of the admin entirely (core/encryption.py).
    exclude = ["notes", "best_times"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
