from django.utils.cache import add_never_cache_headers


class PrivatePagesNotCachedMiddleware:
    """Tell browsers and proxies never to store a page shown to a signed-in person.

    Any signed-in page may show someone's supporters, check-ins or notes, so rather than mark views
    one by one, every response to a signed-in request (or to the request that signs someone in or
    out) gets `Cache-Control: no-store` (with `no-cache, must-revalidate, private, max-age=0`). The
    response that signs someone out also tells the browser to clear the site's caches and storage.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in_before = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in_before or request.user.is_authenticated:
            add_never_cache_headers(response)
        if signed_in_before and not request.user.is_authenticated:
            # Signed out (or the account deleted): the browser drops what this site kept on the device,
            # the crisis pages a person chose to keep offline included (see templates/pwa/sw.js).
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response
