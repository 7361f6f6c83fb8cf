"""The user admin lives with moderation: it shows activity counts and the moderation actions, which
reach into contacts and checkins, and accounts (the user) imports no other app of ours."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.admin_lookups import ListedFiltersOnlyMixin
from moderation import admin_views
from moderation.queries import with_activity_counts


class EmailVerifiedFilter(admin.SimpleListFilter):
    title = _("email confirmed")
    parameter_name = "email_confirmed"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(email_verified=self.value() == "yes")
        return queryset


class RemindersFilter(admin.SimpleListFilter):
    title = _("reminders on")
    parameter_name = "reminders"

    def lookups(self, request, model_admin):
        return [("on", _("On")), ("off", _("Off"))]

    def queryset(self, request, queryset):
        if self.value() in ("on", "off"):
            return queryset.filter(reminders_enabled=self.value() == "on")
        return queryset


@admin.register(User)
class UserAdmin(ListedFiltersOnlyMixin, DjangoUserAdmin):
    """Accounts, safe for moderators: who joined and how active they are, never what they wrote.

    Moderators (staff without superuser) only view; they deactivate, reactivate and resend the
    confirmation email through the buttons on an account's page, each with a reason that is audited.
    Passwords, email addresses, staff status and permissions stay with superusers.
    """

    ordering = ["-date_joined"]
    list_display = [
        "email",
        "joined_on",
        "last_signed_in_on",
        "email_verified",
        "reminders_on",
        "is_active",
        "supporter_count",
        "check_in_count",
    ]
    list_filter = ["is_active", EmailVerifiedFilter, RemindersFilter, "is_staff", "is_superuser"]
    search_fields = ["email"]
    date_hierarchy = "date_joined"
    list_per_page = 50
    readonly_fields = [
        "account_active",
        "email_verified",
        "reminders_on",
        "supporter_count",
        "check_in_count",
        "last_login",
        "date_joined",
    ]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Status"), {"fields": ["account_active", "email_verified", "reminders_on"]}),
        (
            _("Activity (counts only)"),
            {"fields": ["date_joined", "last_login", "supporter_count", "check_in_count"]},
        ),
        (_("Preferences"), {"fields": ["timezone", "country"]}),
        (_("Permissions"), {"fields": ["is_staff", "is_superuser", "groups", "user_permissions"]}),
    ]
    moderator_fieldsets = [
        (None, {"fields": ["email"]}),
        (_("Status"), {"fields": ["account_active", "email_verified", "reminders_on"]}),
        (
            _("Activity (counts only)"),
            {"fields": ["date_joined", "last_login", "supporter_count", "check_in_count"]},
        ),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def get_queryset(self, request):
        return with_activity_counts(super().get_queryset(request))

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return self.moderator_fieldsets
        return super().get_fieldsets(request, obj)

    @admin.display(description="joined", ordering="date_joined")
    def joined_on(self, user):
        return user.date_joined.date()

    @admin.display(description=_("last sign-in"), ordering="last_login")
    def last_signed_in_on(self, user):
        return user.last_login.date() if user.last_login else None

    @admin.display(boolean=True, description="active", ordering="is_active")
    def account_active(self, user):
        """Changed only with the Deactivate and Reactivate buttons, which ask for a reason and email the person."""
        return user.is_active

    @admin.display(boolean=True, description=_("email confirmed"), ordering="email_verified")
    def email_verified(self, user):
        return user.email_verified

    @admin.display(boolean=True, description=_("reminders on"), ordering="reminders_enabled")
    def reminders_on(self, user):
        return user.reminders_enabled

    @admin.display(description="supporters", ordering="supporter_count")
    def supporter_count(self, user):
        return user.supporter_count

    @admin.display(description="check-ins", ordering="check_in_count")
    def check_in_count(self, user):
        return user.check_in_count

    def get_urls(self):
        actions = [
            path(
                f"<int:object_id>/{name}/",
                self.admin_site.admin_view(view),
                kwargs={"model_admin": self},
                name=f"accounts_user_{name.replace('-', '_')}",
            )
            for name, view in admin_views.ACCOUNT_ACTION_VIEWS.items()
        ]
        return actions + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "account_actions": [
                {
                    "label": label,
                    "url": reverse(f"admin:accounts_user_{name.replace('-', '_')}", args=[object_id]),
                }
                for name, label in admin_views.available_actions(request, object_id)
            ],
        }
        return super().change_view(request, object_id, form_url, extra_context)
