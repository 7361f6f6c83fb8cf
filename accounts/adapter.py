from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from django.core.exceptions import ValidationError


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        """Answer 429 Too Many Requests, not a form error, once the failed sign-in limit is reached.

        allauth allows five failed attempts per address within five minutes (and ten a minute per
        client address); `pre_authenticate` raises only when that limit is used up.
        """
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            raise ImmediateHttpResponse(respond_429(request)) from error
