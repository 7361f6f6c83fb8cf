import factory

from accounts.models import User


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
