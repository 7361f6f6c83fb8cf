from django.apps import AppConfig


class PushConfig(AppConfig):
    """Web Push (RFC 8030/8291/8292): each device a person turned notifications on for, and the sender."""

    name = "push"
    verbose_name = "Phone notifications"
