from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    """The person's crisis plan and their monthly self-check. Private to the owner; not in the admin."""

    name = "wellbeing"
    verbose_name = "Crisis plan and self-check"
