from allauth.account.models import EmailAddress
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from checkins.models import CheckIn
from contacts.models import Supporter


def _count_of(model):
    """How many rows of `model` the user owns, as a correlated subquery (no join fan-out)."""
    rows = model.objects.filter(owner=OuterRef("pk")).order_by().values("owner").annotate(count=Count("id"))
    return Coalesce(Subquery(rows.values("count"), output_field=IntegerField()), Value(0))


def with_activity_counts(users):
    """Annotate users with whether their address is confirmed and how many supporters and check-ins
    they have. Counts only: nothing here reads a name, a note or a date of anyone's private life."""
    return users.annotate(
        email_verified=Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)),
        supporter_count=_count_of(Supporter),
        check_in_count=_count_of(CheckIn),
    )
