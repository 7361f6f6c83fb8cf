"""A personal crisis plan and a monthly self-check of how connected a person feels.

Both are private to their owner. Neither model is registered in the admin, so moderators never
see them. The person's own words live in the TextFields listed in `SafetyPlan.OWN_WORDS_FIELDS`,
encrypted at rest (core/encryption.py).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from contacts.models import Supporter
from core.encryption import EncryptedTextField


class PlanStep(models.IntegerChoices):
    """The three steps of the plan that name people from the person's own network."""

    DISTRACTION = 3, _("People who take my mind off things")
    HELP = 4, _("People I can ask for help")
    PROFESSIONAL = 5, _("Professionals and services")


class SafetyPlan(models.Model):
    """One person's crisis plan, in the six steps of the Safety Planning Intervention (Stanley & Brown).

    Steps 1, 2, 6 and the free-text parts of 3 and 5 are the person's own words; the people in
    steps 3 to 5 are `PlanPerson` rows pointing at their own supporters.
    """

    OWN_WORDS_FIELDS = [
        "warning_signs",
        "coping_strategies",
        "distraction_places",
        "other_services",
        "safer_surroundings",
        "what_matters_most",
    ]

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_plan"
    )
    warning_signs = EncryptedTextField(_("my warning signs"), max_length=3000, blank=True)
    coping_strategies = EncryptedTextField(_("things I can do on my own"), max_length=3000, blank=True)
    distraction_places = EncryptedTextField(_("places and activities that help"), max_length=3000, blank=True)
    other_services = EncryptedTextField(_("other services I can contact"), max_length=3000, blank=True)
    safer_surroundings = EncryptedTextField(_("making my surroundings safer"), max_length=3000, blank=True)
    what_matters_most = EncryptedTextField(_("what matters most to me"), max_length=3000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Crisis plan of {self.owner}"

    def people_in_step(self, step):
        """The supporters named in one step, from prefetched `people` when available."""
        return [person for person in self.people.all() if person.step == step]


class PlanPerson(models.Model):
    """A supporter named in step 3, 4 or 5 of a plan; for step 4, when the person told them."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="people")
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="plan_places")
    step = models.PositiveSmallIntegerField(choices=PlanStep.choices)
    told_at = models.DateTimeField(_("told them they are on my plan"), null=True, blank=True)

    class Meta:
        ordering = ["step", "supporter__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "supporter", "step"], name="plan_person_once_per_step"),
            models.CheckConstraint(name="plan_person_step_3_to_5", condition=Q(step__gte=3, step__lte=5)),
        ]

    def __str__(self):
        return f"{self.supporter} in step {self.step}"


class Frequency(models.IntegerChoices):
    """Answers to the three-item UCLA loneliness scale (Hughes et al., 2004)."""

    HARDLY_EVER = 1, _("Hardly ever")
    SOME_OF_THE_TIME = 2, _("Some of the time")
    OFTEN = 3, _("Often")


class HowMany(models.IntegerChoices):
    """Answers to the LSNS-6 (Lubben et al., 2006)."""

    NONE = 0, _("None")
    ONE = 1, _("One")
    TWO = 2, _("Two")
    THREE_OR_FOUR = 3, _("Three or four")
    FIVE_TO_EIGHT = 4, _("Five to eight")
    NINE_OR_MORE = 5, _("Nine or more")


UCLA_FIELDS = ["lacks_companionship", "feels_left_out", "feels_isolated"]
LSNS_FAMILY_FIELDS = ["relatives_in_contact", "relatives_to_talk_to", "relatives_to_call_on"]
LSNS_FRIENDS_FIELDS = ["friends_in_contact", "friends_to_talk_to", "friends_to_call_on"]
LSNS_FIELDS = LSNS_FAMILY_FIELDS + LSNS_FRIENDS_FIELDS

# Cut-points. LSNS-6 below 12 is the published cut-point for risk of social isolation (Lubben et al.,
# 2006). The UCLA 3-item scale has no clinical cut-point; research often groups 6 to 9 as "lonely".
LSNS_ISOLATION_BELOW = 12
UCLA_LONELY_FROM = 6


def frequency_field(label):
    return models.PositiveSmallIntegerField(
        label, choices=Frequency.choices, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )


def how_many_field(label):
    return models.PositiveSmallIntegerField(
        label, choices=HowMany.choices, validators=[MinValueValidator(0), MaxValueValidator(5)]
    )


class SelfCheck(models.Model):
    """One month's answers to the UCLA 3-item loneliness scale and the LSNS-6, with their scores.

    At most one per calendar month (in the owner's time zone): taking it again in the same month
    replaces that month's answers, so the trend has one point a month.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_checks")
    month_on = models.DateField("month", help_text=_("The first day of the month this self-check is for."))
    taken_at = models.DateTimeField()

    lacks_companionship = frequency_field(_("How often do you feel that you lack companionship?"))
    feels_left_out = frequency_field(_("How often do you feel left out?"))
    feels_isolated = frequency_field(_("How often do you feel isolated from others?"))

    relatives_in_contact = how_many_field(
        _("How many relatives do you see or hear from at least once a month?")
    )
    relatives_to_talk_to = how_many_field(
        _("How many relatives do you feel at ease with that you can talk about private matters?")
    )
    relatives_to_call_on = how_many_field(
        _("How many relatives do you feel close to such that you could call on them for help?")
    )
    friends_in_contact = how_many_field(
        _("How many of your friends do you see or hear from at least once a month?")
    )
    friends_to_talk_to = how_many_field(
        _("How many friends do you feel at ease with that you can talk about private matters?")
    )
    friends_to_call_on = how_many_field(
        _("How many friends do you feel close to such that you could call on them for help?")
    )

    # Stored scores, computed by the database from the answers so they can never disagree.
    ucla_score = models.GeneratedField(
        expression=F("lacks_companionship") + F("feels_left_out") + F("feels_isolated"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    lsns_score = models.GeneratedField(
        expression=F("relatives_in_contact")
        + F("relatives_to_talk_to")
        + F("relatives_to_call_on")
        + F("friends_in_contact")
        + F("friends_to_talk_to")
        + F("friends_to_call_on"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["month_on"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "month_on"], name="self_check_once_a_month"),
            models.CheckConstraint(
                name="self_check_ucla_answers_1_to_3",
                condition=Q(
                    lacks_companionship__gte=1,
                    lacks_companionship__lte=3,
                    feels_left_out__gte=1,
                    feels_left_out__lte=3,
                    feels_isolated__gte=1,
                    feels_isolated__lte=3,
                ),
            ),
            models.CheckConstraint(
                name="self_check_lsns_answers_0_to_5",
                condition=Q(
                    relatives_in_contact__lte=5,
                    relatives_to_talk_to__lte=5,
                    relatives_to_call_on__lte=5,
                    friends_in_contact__lte=5,
                    friends_to_talk_to__lte=5,
                    friends_to_call_on__lte=5,
                ),
            ),
        ]

    def __str__(self):
        return f"Self-check of {self.owner} for {self.month_on:%B %Y}"

    def feels_lonely(self):
        """A UCLA total of 6 or more: the range research often describes as feeling lonely."""
        return self.ucla_score >= UCLA_LONELY_FROM

    def at_risk_of_isolation(self):
        """An LSNS-6 total under the published cut-point for risk of social isolation."""
        return self.lsns_score < LSNS_ISOLATION_BELOW

    def is_concerning(self):
        return self.feels_lonely() or self.at_risk_of_isolation()
