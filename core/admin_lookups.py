"""Which filters staff who are not superusers may put in an admin list's address."""

from django.contrib.admin.filters import FieldListFilter, ListFilter
from django.contrib.admin.utils import get_fields_from_path


class ListedFiltersOnlyMixin:
    """Moderators filter a list only by the filters it shows, its date bar and its search box.

    Django's admin also accepts any lookup on the model's own fields typed into the address
    (`?country=GB`, `?reminder_hour=3`, `?email__regex=^a`), which would let a moderator sort people
    by what the page never shows them. Superusers keep Django's rules.
    """

    def lookup_allowed(self, lookup, value, request=None):
        if request is not None and request.user.is_superuser:
            return super().lookup_allowed(lookup, value, request)
        return lookup in self.listed_lookups(request)

    def listed_lookups(self, request):
        """The parameters the list's own filters and date bar write into the address."""
        allowed = set()
        if self.date_hierarchy:
            allowed.update(f"{self.date_hierarchy}__{part}" for part in ("year", "month", "day"))
        for item in self.get_list_filter(request):
            if isinstance(item, type) and issubclass(item, ListFilter):
                spec = item(request, {}, self.model, self)
            else:
                field_path, filter_class = item if isinstance(item, tuple | list) else (item, None)
                field = get_fields_from_path(self.model, field_path)[-1]
                spec = (filter_class or FieldListFilter.create)(
                    field, request, {}, self.model, self, field_path=field_path
                )
            allowed.update(spec.expected_parameters())
        return allowed
