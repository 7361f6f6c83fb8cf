from django.conf import settings
from django.db import models

from contacts.models import Channel, Supporter


class InitiatedBy(models.TextChoices):
    ME = "me", "I did"
    THEM = "them", "They did"


class Mood(models.IntegerChoices):
    """How a check-in felt, on a 1 to 5 scale shown in plain words."""

    HARD = 1, "Hard"
    NOT_GREAT = 2, "Not great"
    OKAY = 3, "Okay"
    GOOD = 4, "Good"
    REALLY_GOOD = 5, "Really good"


class CheckIn(models.Model):
    """One time the owner and a supporter connected."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins")
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="check_ins")
    happened_at = models.DateTimeField("when")
    channel = models.CharField("how", max_length=10, choices=Channel.choices)
    initiated_by = models.CharField("who reached out", max_length=4, choices=InitiatedBy.choices)
    mood = models.PositiveSmallIntegerField("how it felt", choices=Mood.choices, null=True, blank=True)
    note = models.TextField("private note", max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-happened_at"]),
            models.Index(fields=["supporter", "-happened_at"]),
        ]

    def __str__(self):
        return f"{self.supporter} on {self.happened_at:%Y-%m-%d}"
