from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from moderation.models import MODERATORS_GROUP

# Exactly what a moderator may do; nothing from contacts or check-ins. Kept in step with the data
# migration moderation/0002_moderators_group, which creates the group on `migrate`.
MODERATOR_PERMISSIONS = [
    ("accounts", "view_user"),
    ("resources", "add_resource"),
    ("resources", "change_resource"),
    ("resources", "view_resource"),
    ("moderation", "deactivate_account"),
    ("moderation", "resend_confirmation"),
    ("moderation", "view_sitefigures"),
]


def moderators_group() -> Group:
    """The Moderators group, created with its permissions if it is missing (e.g. after a flush)."""
    group, created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    if created:
        wanted = Q()
        for app_label, codename in MODERATOR_PERMISSIONS:
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))
    return group
