from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "checkins"
    verbose_name = "Check-ins and reminders"

    def ready(self):
        from checkins import receivers  # noqa: F401 - connects the receivers
