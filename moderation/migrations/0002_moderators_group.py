"""The Moderators group, with exactly the permissions moderators need and nothing from contacts or
check-ins: they look after accounts (view, deactivate/reactivate, resend confirmation), curate the
resource directory (add, change, view; they unpublish rather than delete) and read the site figures."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = [
    ("accounts", "view_user"),
    ("resources", "add_resource"),
    ("resources", "change_resource"),
    ("resources", "view_resource"),
    ("moderation", "deactivate_account"),
    ("moderation", "resend_confirmation"),
    ("moderation", "view_sitefigures"),
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations run; create them now so the group can hold them.
    for app_label in {app_label for app_label, _ in MODERATOR_PERMISSIONS}:
        app_config = apps.get_app_config(app_label)
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in MODERATOR_PERMISSIONS
    ]
    group.permissions.set(permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0001_initial"),
        ("resources", "0001_initial"),
        ("moderation", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
