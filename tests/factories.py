import factory
from django.utils import timezone

from accounts.models import User
from checkins.models import CheckIn, InitiatedBy
from contacts.models import Channel, Supporter


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    timezone = "UTC"
    password = factory.PostGenerationMethodCall("set_password", "a calm long passphrase")

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        """Give every user a verified primary address, as allauth expects after sign-up."""
        if create:
            user.save()
            user.emailaddress_set.create(email=user.email, primary=True, verified=extracted is not False)


class SupporterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supporter

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Supporter {n}")
    relationship = "friend"
    gives_emotional = True


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    supporter = factory.SubFactory(SupporterFactory)
    owner = factory.SelfAttribute("supporter.owner")
    happened_at = factory.LazyFunction(timezone.now)
    channel = Channel.CALL
    initiated_by = InitiatedBy.ME


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "resources.Resource"

    name = factory.Sequence(lambda n: f"Helpline {n}")
    kind = "crisis_line"
    country = "GB"
    phone = "0800 000 000"
    website = "https://help.example.org"
    description = "Someone to talk to."
    gives_emotional = True
    is_published = True


def make_moderator(email="moderator@example.com"):
    """A staff account in the Moderators group, as `manage.py create_moderator` makes."""
    from moderation.roles import moderators_group

    moderator = UserFactory(email=email, is_staff=True)
    moderator.groups.add(moderators_group())
    return moderator
