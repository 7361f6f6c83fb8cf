"""The six steps of the crisis plan, with guidance in our own words.

The structure follows the Safety Planning Intervention (Stanley B, Brown GK. Safety Planning
Intervention: a brief intervention to mitigate suicide risk. Cognitive and Behavioral Practice,
2012;19(2):256-264).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from wellbeing.models import PlanStep


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    guidance: str
    own_words_field: str | None = None
    own_words_label: str = ""
    people_step: int | None = None
    people_hint: str = ""
    examples: list[str] = field(default_factory=list)


STEPS = [
    Step(
        number=1,
        title=_("My warning signs"),
        guidance=_(
            "What tells you a hard time may be starting? Thoughts, feelings, moods, situations or "
            "things you find yourself doing. Noticing them early is your cue to turn to the rest of this plan."
        ),
        own_words_field="warning_signs",
        own_words_label=_("My warning signs"),
        examples=[
            _("Not answering messages"),
            _("Lying awake going over the same thoughts"),
            _("Skipping meals"),
        ],
    ),
    Step(
        number=2,
        title=_("Things I can do on my own"),
        guidance=_(
            "Small things that help you get through a difficult moment without needing anyone else. "
            "They don't have to fix anything, only help the time pass more gently."
        ),
        own_words_field="coping_strategies",
        own_words_label=_("Things I can do on my own"),
        examples=[
            _("A walk round the block"),
            _("A hot shower"),
            _("Slow breathing for five minutes"),
            "A playlist",
        ],
    ),
    Step(
        number=3,
        title=_("People and places that take my mind off things"),
        guidance=_(
            "Being around other people can ease things, even without talking about how you feel. "
            "Pick people from your network, and add places where you feel a little better."
        ),
        own_words_field="distraction_places",
        own_words_label=_("Places and activities that help"),
        people_step=PlanStep.DISTRACTION,
        people_hint=_("People who are good company"),
        examples=[_("The café on the corner"), _("The park"), _("The library")],
    ),
    Step(
        number=4,
        title=_("People I can ask for help"),
        guidance=_(
            "People you could tell that you are struggling, and ask to help. It helps them to know "
            "they are on your plan, so they are not caught by surprise."
        ),
        people_step=PlanStep.HELP,
        people_hint=_("People I can ask for help"),
    ),
    Step(
        number=5,
        title=_("Professionals and services I can contact"),
        guidance=_(
            "Your counsellor, therapist, GP or care team, and crisis lines that answer at any hour. "
            "If you are in danger, call your local emergency number."
        ),
        own_words_field="other_services",
        own_words_label=_("Other services and numbers"),
        people_step=PlanStep.PROFESSIONAL,
        people_hint=_("Professionals from my network"),
        examples=[_("My GP surgery and its out-of-hours number"), _("My community mental health team")],
    ),
    Step(
        number=6,
        title=_("Making my surroundings safer"),
        guidance=_(
            "Things you can do, or ask someone to do, so that what you could use to hurt yourself "
            "is out of reach while things are hard."
        ),
        own_words_field="safer_surroundings",
        own_words_label=_("Making my surroundings safer"),
        examples=[_("Ask a friend to keep my medication and hand me a week at a time")],
    ),
]

WHAT_MATTERS_MOST = Step(
    number=0,
    title=_("What matters most to me"),
    guidance=_("The people, reasons and hopes worth holding on to, even on a day when they feel far away."),
    own_words_field="what_matters_most",
    own_words_label=_("What matters most to me"),
)
