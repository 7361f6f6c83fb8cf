"""The five kinds of social support (after House's and Cutrona's types): the vocabulary that a person's
supporters (contacts) and the moderated directory (resources) both speak, kept below both."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupportType(models.TextChoices):
    EMOTIONAL = "emotional", _("Emotional")
    INFORMATIONAL = "informational", _("Informational")
    INSTRUMENTAL = "instrumental", _("Practical")
    PEER = "peer", _("Peer")
    PROFESSIONAL = "professional", _("Professional")


# Each type with the Supporter column that records it. Worked out once: pages read it for every
# supporter several times, and iterating an Enum is slow enough to show at 300 supporters.
SUPPORT_TYPE_COLUMNS = tuple((kind, f"gives_{kind.value}") for kind in SupportType)


# One line each, shown next to the choice so a person knows what a type means.
SUPPORT_TYPE_DESCRIPTIONS = {
    SupportType.EMOTIONAL: _("Listens without judging and comforts you: “I'm here for you.”"),
    SupportType.INFORMATIONAL: _("Shares advice, information or pointers to treatment and ways of coping."),
    SupportType.INSTRUMENTAL: _("Helps in practical ways: a lift to an appointment, groceries, daily tasks."),
    SupportType.PEER: _("Has lived experience of something similar, like a peer mentor or a peer-led group."),
    SupportType.PROFESSIONAL: _("A therapist, psychiatrist, counsellor, social worker or GP."),
}

# Shown beside a type that nobody in the network gives yet: where such support can come from.
SUPPORT_TYPE_SUGGESTIONS = {
    SupportType.EMOTIONAL: _(
        "Is there a friend, partner or relative you could talk to a little more openly? "
        "Telling one person how you really are is a good start."
    ),
    SupportType.INFORMATIONAL: _(
        "A friend who has read up, a support-group leader or a trusted health website "
        "can help you understand what you're going through."
    ),
    SupportType.INSTRUMENTAL: _(
        "A neighbour, sibling or friend may be glad to help with a lift or the "
        "shopping. People often like being asked for something specific."
    ),
    SupportType.PEER: _("Peer groups, in person or online, connect you with people who have been there too."),
    SupportType.PROFESSIONAL: _(
        "Your GP is often the first step towards a counsellor or therapist, and "
        "many areas have free or low-cost services."
    ),
}
