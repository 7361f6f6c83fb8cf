from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.models import RecoveryTopic
from core.phones import phone_actions
from core.support_types import SupportType
from resources.versions import directory_changed


class Kind(models.TextChoices):
    CRISIS_LINE = "crisis_line", _("Crisis line")
    PEER_GROUP = "peer_group", _("Peer group")
    PROFESSIONAL_SERVICE = "professional_service", _("Professional service")
    READING = "reading", pgettext_lazy("kind of resource", "Reading")


KIND_HEADINGS = {
    Kind.CRISIS_LINE: _("Crisis lines"),
    Kind.PEER_GROUP: _("Peer groups"),
    Kind.PROFESSIONAL_SERVICE: _("Professional services"),
    Kind.READING: pgettext_lazy("heading of resources", "Reading"),
}

# An entry's own words that may come in other languages too, kept in `Resource.translations`.
TRANSLATABLE_FIELDS = ("name", "description", "opening_hours")


def validate_translations(value):
    """{"es": {"name": "...", "description": "..."}, "hi": {...}}: known languages and fields, text only."""
    other_languages = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    if not isinstance(value, dict):
        raise ValidationError(_("Write the translations as an object keyed by language code."))
    for language, fields in value.items():
        if language not in other_languages:
            raise ValidationError(
                _("“%(language)s” is not one of the languages: %(languages)s."),
                params={"language": language, "languages": ", ".join(sorted(other_languages))},
            )
        if not isinstance(fields, dict) or not all(
            field in TRANSLATABLE_FIELDS and isinstance(text, str) for field, text in fields.items()
        ):
            raise ValidationError(
                _("Each language holds only text for: %(fields)s."),
                params={"fields": ", ".join(TRANSLATABLE_FIELDS)},
            )


class ResourceQuerySet(models.QuerySet):
    # Writes that send no signal (resources.apps connects the others) change the version themselves.
    def update(self, **kwargs):
        directory_changed()
        return super().update(**kwargs)

    def bulk_create(self, *args, **kwargs):
        directory_changed()
        return super().bulk_create(*args, **kwargs)

    def bulk_update(self, *args, **kwargs):
        directory_changed()
        return super().bulk_update(*args, **kwargs)

    def published(self):
        return self.filter(is_published=True)

    def for_country(self, country):
        """Resources serving this country (ISO 3166 alpha-2), plus those serving everyone."""
        if not country:
            return self.filter(country="")
        return self.filter(Q(country=str(country)) | Q(country=""))

    def suggested_for(self, topics):
        """Entries for anyone, and those for a topic only when the person chose to tell us it is theirs:
        a group for one kind of recovery is never suggested by default."""
        return self.filter(Q(topic="") | Q(topic__in=list(topics)))

    def crisis_lines(self):
        return self.filter(kind=Kind.CRISIS_LINE)

    def offering(self, support_type):
        return self.filter(**{f"gives_{SupportType(support_type).value}": True})

    def local_first(self):
        """Country-specific entries before the international ones, then by name."""
        return self.order_by(models.F("country").desc(), "name")


class Resource(models.Model):
    """An entry in the shared, moderated directory of help: a crisis line, a group, a service, reading."""

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=24, choices=Kind.choices)

    topic = models.CharField(
        _("for people recovering from"),
        max_length=20,
        choices=RecoveryTopic.choices,
        blank=True,
        default="",
        help_text=_(
            "Leave blank when it is for anyone. A topic-specific entry is suggested only to people "
            "who chose that topic on their account page."
        ),
    )
    # The five types of support it offers, one column each, as on a supporter.
    gives_emotional = models.BooleanField("emotional", default=False)
    gives_informational = models.BooleanField("informational", default=False)
    gives_instrumental = models.BooleanField("practical", default=False)
    gives_peer = models.BooleanField("peer", default=False)
    gives_professional = models.BooleanField("professional", default=False)

    country = CountryField(
        blank=True,
        blank_label=_("Everywhere"),
        help_text=_("Leave as “Everywhere” for a service that anyone can use, wherever they live."),
    )
    region = models.CharField(
        "region", max_length=80, blank=True, help_text=_("Optional, for example “Scotland” or “Quebec”.")
    )
    phone = models.CharField(
        max_length=40,
        blank=True,
        help_text=_("As people should dial it, for example “116 123” or “Text HOME to 741741”."),
    )
    website = models.URLField(blank=True)
    opening_hours = models.CharField(
        max_length=80, blank=True, help_text=_("For example “24 hours, every day”.")
    )
    description = models.TextField(max_length=400, blank=True, help_text=_("One or two plain sentences."))

    is_published = models.BooleanField(
        "published", default=False, help_text=_("Only published entries are shown.")
    )
    last_verified_on = models.DateField(
        _("last verified on"),
        null=True,
        blank=True,
        help_text=_("The day a moderator last checked the number and website. Empty means never checked."),
    )
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        validators=[validate_translations],
        help_text=_(
            'The name, description and opening hours in other languages, for example {"es": {"name": "…", '
            '"description": "…"}, "hi": {"name": "…"}}. What is missing is shown as written above.'
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["is_published", "kind", "country"])]

    def __str__(self):
        return self.name

    def in_language(self, field, language=None):
        """This field in the given (or the active) language, or as written when not translated."""
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        return self.translations.get(language, {}).get(field) or getattr(self, field)

    @property
    def local_name(self):
        return self.in_language("name")

    @property
    def local_description(self):
        return self.in_language("description")

    @property
    def local_opening_hours(self):
        return self.in_language("opening_hours")

    @property
    def support_types(self):
        return [kind for kind in SupportType if getattr(self, f"gives_{kind.value}")]

    @property
    def area(self):
        """Where it serves, in words: "Everywhere", "United Kingdom", "Canada (Quebec)"."""
        place = self.country.name if self.country else gettext("Everywhere")
        return f"{place} ({self.region})" if self.region else place

    @property
    def phone_actions(self):
        """What its phone field lets a person do: call (tel:) and/or text (sms:, with the keyword)."""
        return phone_actions(self.phone)
