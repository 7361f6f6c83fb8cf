from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def floor(request):
    """The cheapest signed-in page: sessions and auth, no work. Benchmarks report pages against it."""
    return HttpResponse(f"Signed in as {request.user.email}.", content_type="text/plain")
