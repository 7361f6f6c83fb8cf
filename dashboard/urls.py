from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("welcome/", views.first_step, name="first_step"),
    path("snooze/<int:pk>/", views.snooze, name="snooze"),
    path("crisis/", views.crisis, name="crisis"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("offline/", views.offline, name="offline"),
]
