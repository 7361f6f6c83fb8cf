from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("export/supportnet-export.json", views.export_json, name="export_json"),
    path("export/supporters.csv", views.export_csv, name="export_csv"),
    path("export/supporters.vcf", views.export_vcard, name="export_vcard"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/to-fix/", views.import_skipped, name="import_skipped"),
    path("import/<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
    path("calendar/", views.calendar_feed, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed_ics, name="calendar_ics"),
    path("delete-account/", views.account_delete, name="delete_account"),
]
