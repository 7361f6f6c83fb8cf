from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core import phones
from core.encryption import EncryptedTextField
from core.support_types import SUPPORT_TYPE_COLUMNS, SupportType


class Circle(models.TextChoices):
    """Closeness, as in the "convoy" picture of concentric circles."""

    INNER = "inner", _("Inner circle")
    MIDDLE = "middle", _("Middle circle")
    OUTER = "outer", _("Outer circle")


class Feeling(models.TextChoices):
    """How the relationship feels. Not every tie is healthy, and that is about the tie, not the person."""

    ENERGISING = "energising", _("Energising")
    MIXED = "mixed", _("Mixed")
    DRAINING = "draining", _("Draining")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    CALL = "call", _("Phone call")
    VIDEO = "video", _("Video call")
    MESSAGE = "message", _("Message")
    EMAIL = "email", _("Email")
    OTHER = "other", _("Other")


class Rhythm(models.TextChoices):
    CIRCLE = "circle", _("The usual for their circle")
    CUSTOM = "custom", _("Every so many days")
    NONE = "none", _("No reminders")


class SupporterQuerySet(models.QuerySet):
    def for_owner(self, user):
        """Only this person's supporters. Every page reads supporters through this."""
        return self.filter(owner=user)

    def active(self):
        return self.filter(is_archived=False)

    def archived(self):
        return self.filter(is_archived=True)

    def giving(self, support_type):
        """Everyone who gives this type of support ("peer", ...); uses a partial index per type."""
        return self.filter(**{f"gives_{SupportType(support_type).value}": True})

    def in_circle(self, circle):
        return self.filter(circle=Circle(circle).value)

    def search(self, text):
        """Name or relationship containing the text, ignoring case."""
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(relationship__icontains=text))

    def due_first(self):
        """Whoever is due soonest (or most overdue) first; people without reminders last, by name."""
        return self.order_by(models.F("next_check_in_at").asc(nulls_last=True), "name", "id")

    def following_circle_default(self, circles):
        """Supporters whose rhythm is "the usual for their circle", in any of these circles."""
        return self.filter(rhythm=Rhythm.CIRCLE, circle__in=circles)


class Supporter(models.Model):
    """A person who supports the owner, in one or more of the five ways."""

    # Indexed by the (owner, ...) indexes below; a separate owner index would only slow writes.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supporters", db_index=False
    )
    name = models.CharField(max_length=100)
    relationship = models.CharField(max_length=100, blank=True)

    # The five types of support, one column each: "everyone who gives peer support" is a plain filter.
    gives_emotional = models.BooleanField(default=False)
    gives_informational = models.BooleanField(default=False)
    gives_instrumental = models.BooleanField(default=False)
    gives_peer = models.BooleanField(default=False)
    gives_professional = models.BooleanField(default=False)

    circle = models.CharField(max_length=10, choices=Circle.choices, default=Circle.MIDDLE)
    feeling = models.CharField(_("how it feels"), max_length=10, choices=Feeling.choices, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    preferred_channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    best_times = EncryptedTextField(_("best times and boundaries"), max_length=500, blank=True)

    rhythm = models.CharField(
        _("check-in rhythm"), max_length=10, choices=Rhythm.choices, default=Rhythm.CIRCLE
    )
    rhythm_days = models.PositiveSmallIntegerField(
        _("every how many days"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    is_crisis_contact = models.BooleanField(_("someone I can reach in a crisis"), default=False)
    notes = EncryptedTextField(_("private notes"), max_length=5000, blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)

    # Kept up to date by the check-ins app's services; never computed here.
    last_check_in_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_check_in_at = models.DateTimeField(null=True, blank=True, editable=False)
    snoozed_until = models.DateTimeField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SupporterQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["owner", "name"]),
            models.Index(fields=["owner", "next_check_in_at"]),
            # "Everyone who gives peer support": one small partial index per type.
            *(
                models.Index(
                    fields=["owner", "name"],
                    condition=Q(**{f"gives_{kind.value}": True}),
                    name=f"supporter_{kind.value}_idx",
                )
                for kind in SupportType
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="supporter_gives_at_least_one_type",
                condition=Q(gives_emotional=True)
                | Q(gives_informational=True)
                | Q(gives_instrumental=True)
                | Q(gives_peer=True)
                | Q(gives_professional=True),
            ),
            models.CheckConstraint(
                name="supporter_custom_rhythm_has_days",
                condition=~Q(rhythm="custom") | Q(rhythm_days__gte=1, rhythm_days__lte=365),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def support_types(self):
        """The types this person gives, in the canonical order."""
        return [kind for kind, column in SUPPORT_TYPE_COLUMNS if getattr(self, column)]

    @property
    def main_support_type(self):
        return next((kind for kind, column in SUPPORT_TYPE_COLUMNS if getattr(self, column)), None)

    @property
    def tel_href(self):
        """The one rule for a supporter's call link (core.phones), as for the directory's numbers."""
        return phones.tel_href(self.phone)

    @property
    def sms_href(self):
        return phones.sms_href(self.phone)

    @property
    def initials(self):
        words = self.name.split()
        return "".join(word[0] for word in words[:2]).upper() if words else "?"

    def rhythm_in_days(self):
        """Days between check-ins, or None when this person gets no reminders. Needs `owner` loaded."""
        if self.rhythm == Rhythm.NONE:
            return None
        if self.rhythm == Rhythm.CUSTOM:
            return self.rhythm_days
        return self.owner.rhythm_for_circle(self.circle)

    def rhythm_summary(self):
        """The rhythm in words: "Every 7 days (the usual for the inner circle)". Needs `owner` loaded."""
        days = self.rhythm_in_days()
        if days is None:
            return _("No reminders")
        every = ngettext("Every day", "Every %(days)d days", days) % {"days": days}
        if self.rhythm == Rhythm.CIRCLE:
            return gettext("%(every)s (the usual for the %(circle)s)") % {
                "every": every,
                "circle": self.get_circle_display().lower(),
            }
        return every
