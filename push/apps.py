from django.apps import AppConfig


class PushConfig(AppConfig):
    """Web Push (RFC 8030/8291/8292): each device a person turned notifications on for, and the sender."""

    name = "push"
    verbose_name = "Phone notifications"

    def ready(self):
        # The daily reminder's second channel, without checkins importing push.
        from checkins.hooks import DigestChannel, digest_channel_register
        from push.services import push_digest_send, push_reaches

        digest_channel_register(DigestChannel(name="push", can_reach=push_reaches, send=push_digest_send))
