from django.conf import settings
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileBackend(ConsoleBackend):
    """Development email: printed to the console and kept as a file under var/mail/."""

    def send_messages(self, email_messages):
        FileBackend(file_path=settings.EMAIL_MAIL_DIR).send_messages(email_messages)
        return super().send_messages(email_messages)
