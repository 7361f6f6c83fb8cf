from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Resource directory"

    def ready(self):
        from resources.versions import directory_changed

        # Every save and delete (the admin, loaddata), and migrate (data migrations write the starter
        # set with historical models): the directory's cached reads start afresh (resources.directory).
        post_save.connect(directory_changed, sender="resources.Resource", dispatch_uid="directory-saved")
        post_delete.connect(directory_changed, sender="resources.Resource", dispatch_uid="directory-deleted")
        post_migrate.connect(directory_changed, sender=self, dispatch_uid="directory-migrated")
