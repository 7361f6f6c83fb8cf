from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    """The person's crisis plan and their monthly self-check. Private to the owner; not in the admin."""

    name = "wellbeing"
    verbose_name = "Crisis plan and self-check"

    def ready(self):
        # The monthly self-check can ride on the daily reminder without checkins importing wellbeing.
        from checkins.hooks import digest_nudge_register
        from wellbeing.services import self_check_nudge

        digest_nudge_register(self_check_nudge)
