from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog

from api import views as api_views
from api.v1 import api as api_v1
from contacts import urls as contacts_urls
from dashboard import account_page, supporter_pages
from supportnet.views import healthz

admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/docs/", api_views.docs, name="api_docs"),
    path("api/v1/", api_v1.urls),
    re_path(r"^api/", api_views.unknown_path),
    path("accounts/settings/tokens/", include("api.urls")),
    # Page-level views for the account page and the supporter pages keep their apps' URL names.
    path("accounts/settings/", include(([*account_page.urlpatterns], "accounts"))),
    path("accounts/", include("allauth.urls")),
    path("supporters/", include(([*supporter_pages.urlpatterns, *contacts_urls.urlpatterns], "contacts"))),
    path("check-ins/", include("checkins.urls")),
    path("privacy/", include("privacy.urls")),
    path("resources/", include("resources.urls")),
    path("notifications/", include("push.urls")),
    path("healthz", healthz, name="healthz"),
    # The language switch of signed-out pages (POST, sets the language cookie) and our JS strings.
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript_catalog"),
    path("", include("dashboard.urls")),
    path("", include("wellbeing.urls")),
    path("", include("sharing.urls")),
]

if settings.BENCH:
    urlpatterns.append(path("bench/", include("benchdata.urls")))
