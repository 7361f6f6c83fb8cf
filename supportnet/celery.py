import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportnet.settings")

app = Celery("supportnet", include=["supportnet.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def create_filesystem_broker_folders(sender, **kwargs):
    """kombu's filesystem transport needs its folders to exist before the first message."""
    for key in ("data_folder_in", "processed_folder"):
        folder = (sender.conf.broker_transport_options or {}).get(key)
        if folder:
            os.makedirs(folder, exist_ok=True)
