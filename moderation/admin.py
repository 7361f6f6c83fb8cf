from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin_lookups import ListedFiltersOnlyMixin
from moderation import user_admin  # noqa: F401  (registers the user admin)
from moderation.figures import site_figures
from moderation.models import AccountAction, SiteFigures

admin.site.site_header = _("SupportNet administration")
admin.site.site_title = _("SupportNet admin")
admin.site.index_title = _("Run the site")
# The index already lists every section; without the sidebar, tables fit a laptop screen.
admin.site.enable_nav_sidebar = False


class ReadOnlyAdmin(ListedFiltersOnlyMixin, admin.ModelAdmin):
    """Nobody adds, changes or deletes these in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SuperuserOnlyReadOnlyAdmin(ReadOnlyAdmin):
    """An audit record: superusers read it, nobody edits it."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


@admin.register(AccountAction)
class AccountActionAdmin(SuperuserOnlyReadOnlyAdmin):
    list_display = ["created_at", "actor_email", "action", "account", "reason"]
    list_filter = ["action", "created_at"]
    search_fields = ["actor_email", "account__email", "reason"]
    date_hierarchy = "created_at"
    list_select_related = ["account"]


if not admin.site.is_registered(LogEntry):

    @admin.register(LogEntry)
    class LogEntryAdmin(SuperuserOnlyReadOnlyAdmin):
        """Django's own record of every change made in the admin, e.g. to the resource directory."""

        list_display = ["action_time", "user", "content_type", "object_repr", "action_flag", "change_message"]
        list_filter = ["action_flag", "content_type"]
        search_fields = ["object_repr", "user__email"]
        date_hierarchy = "action_time"
        list_select_related = ["user", "content_type"]


@admin.register(SiteFigures)
class SiteFiguresAdmin(ReadOnlyAdmin):
    """A page of counts, not a list of rows."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("", self.admin_site.admin_view(self.changelist_view), name="{}_{}_changelist".format(*info))
        ]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Site figures"),
            "figures": site_figures(now=timezone.now()),
        }
        return TemplateResponse(request, "admin/moderation/site_figures.html", context)
