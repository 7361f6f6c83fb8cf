"""What the admin shows of allauth's own tables: never a secret, never where someone signs in from.

allauth registers admin pages for authenticators (whose data holds the TOTP secret and the recovery
code seed: a moderator who saw them could pass anyone's two-step sign-in) and for user sessions
(addresses and browsers). Moderators keep one power here: deleting a person's authenticators when
they have lost both their phone and their recovery codes.
"""

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin

from core.admin_lookups import ListedFiltersOnlyMixin


class AuthenticatorAdmin(ListedFiltersOnlyMixin, admin.ModelAdmin):
    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__email"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def replace_allauth_admin(site=admin.site):
    """Run once every admin module is loaded (from AccountsConfig.ready)."""
    if site.is_registered(UserSession):
        site.unregister(UserSession)
    if site.is_registered(Authenticator):
        site.unregister(Authenticator)
    site.register(Authenticator, AuthenticatorAdmin)
