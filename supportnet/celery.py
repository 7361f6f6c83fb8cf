import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportnet.settings")

app = Celery("supportnet", include=["supportnet.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def create_filesystem_broker_folders(sender, **kwargs):
    """Without Redis, kombu's filesystem transport and the results need their folders to exist."""
    from django.conf import settings

    if sender.conf.broker_url.startswith("filesystem"):
        for folder in (settings.CELERY_QUEUE_DIR, settings.CELERY_PROCESSED_DIR, settings.CELERY_RESULTS_DIR):
            os.makedirs(folder, exist_ok=True)
