import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.timezones import validate_timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError(_("An email address is required."))
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class RecoveryTopic(models.TextChoices):
    """What a person may choose to tell about what they are recovering from. Optional, never assumed:
    it only decides which topic-specific peer groups the dashboard suggests."""

    ADDICTION = "addiction", _("Alcohol or drug use")
    DEPRESSION = "depression", _("Depression")
    ANXIETY = "anxiety", _("Anxiety")
    BIPOLAR = "bipolar", _("Bipolar disorder")
    TRAUMA = "trauma", _("Trauma")
    EATING = "eating", _("Eating difficulties")
    PSYCHOSIS = "psychosis", _("Psychosis")
    CARING = "caring", _("Caring for someone")


class ReminderChannel(models.TextChoices):
    EMAIL = "email", "Email"
    PUSH = "push", "Notifications on my devices"
    BOTH = "both", "Both"


# What a person chooses about their reminders: the settings form, the API, the export and the
# service that saves them and reschedules the next digest all use this one list.
REMINDER_PREFERENCE_FIELDS = (
    "reminders_enabled",
    "reminder_hour",
    "reminder_weekdays",
    "reminders_paused_until",
    "reminder_email_details",
    "reminder_channel",
    "reminder_push_names",
    "reminder_self_check",
)


class User(AbstractUser):
    """A person using SupportNet. The email address is the login; there are no usernames."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text=_("Reminders arrive at your chosen hour in this time zone."),
    )

    # The language of pages, emails and documents; set at sign-up from the browser's languages.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        db_default=settings.LANGUAGE_CODE,
    )

    # Country (ISO 3166 alpha-2) decides which crisis lines the crisis panel shows.
    country = CountryField(_("country"), blank=True, blank_label=_("Not set"))
    # RecoveryTopic values, comma-separated (a plain column that SQLite and PostgreSQL both store).
    recovery_topics = models.CharField(_("what I'm recovering from"), max_length=200, blank=True, default="")

    # Default check-in rhythm per closeness circle, in days. Supporters "on the usual rhythm" follow these.
    inner_rhythm_days = models.PositiveSmallIntegerField(
        _("inner circle"), default=7, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    middle_rhythm_days = models.PositiveSmallIntegerField(
        _("middle circle"), default=14, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    outer_rhythm_days = models.PositiveSmallIntegerField(
        _("outer circle"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )

    # Reminder preferences: at most one digest a day, at this local hour, on these weekdays.
    reminders_enabled = models.BooleanField(_("send me reminder emails"), default=True)
    reminder_hour = models.PositiveSmallIntegerField(
        _("time of day"), default=9, validators=[MinValueValidator(0), MaxValueValidator(23)]
    )
    # Weekday numbers, Monday = 0, as a string of digits: "0123456" is every day.
    reminder_weekdays = models.CharField(_("on these days"), max_length=7, default="0123456")
    reminders_paused_until = models.DateField(_("pause reminders until"), null=True, blank=True)
    # Lock screens and mail previews are public: by default a reminder's subject names no one and its
    # body names each person and no more. Relationship, channel and best times (encrypted here) are opt-in.
    reminder_email_details = models.BooleanField(
        _("say more in reminder emails"),
        default=False,
        db_default=False,
        help_text=_(
            "Names in the subject line, and how you know each person, how they like to be contacted "
            "and their best times in the email."
        ),
    )
    # Where the one daily reminder goes. "push" with no device that takes it falls back to email.
    reminder_channel = models.CharField(
        "send reminders by",
        max_length=5,
        choices=ReminderChannel.choices,
        default=ReminderChannel.EMAIL,
        db_default=ReminderChannel.EMAIL,
    )
    # A notification shows on the lock screen: it names people only if the person asks for it.
    reminder_push_names = models.BooleanField("name people in notifications", default=False, db_default=False)
    # The monthly self-check (wellbeing) may ride on the daily reminder; off unless asked for.
    reminder_self_check = models.BooleanField(
        "remind me of the monthly self-check", default=False, db_default=False
    )
    # The next moment (UTC) this person's daily digest may go out; the reminder sweep polls it.
    next_digest_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        constraints = [
            models.CheckConstraint(
                name="user_reminder_channel_is_known",
                condition=models.Q(reminder_channel__in=["email", "push", "both"]),
            ),
        ]

    def __str__(self):
        return self.email

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.timezone)

    def rhythm_for_circle(self, circle):
        """The default number of days between check-ins for a closeness circle ("inner", ...)."""
        return getattr(self, f"{circle}_rhythm_days")

    @property
    def recovery_topic_list(self):
        return [topic for topic in self.recovery_topics.split(",") if topic in RecoveryTopic.values]
