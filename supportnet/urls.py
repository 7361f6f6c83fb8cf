from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from supportnet.views import healthz

admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/settings/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("supporters/", include("contacts.urls")),
    path("check-ins/", include("checkins.urls")),
    path("privacy/", include("privacy.urls")),
    path("resources/", include("resources.urls")),
    path("notifications/", include("push.urls")),
    path("healthz", healthz, name="healthz"),
    path("", include("dashboard.urls")),
    path("", include("wellbeing.urls")),
]

if settings.BENCH:
    urlpatterns.append(path("bench/", include("benchdata.urls")))
