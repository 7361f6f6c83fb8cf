from django.urls import path

from checkins import views

app_name = "checkins"
urlpatterns = [
    path("", views.check_in_list, name="list"),
    path("new/", views.check_in_log, name="log"),
    path("undo/", views.undo, name="undo"),
    path("<int:pk>/edit/", views.check_in_edit, name="edit"),
    path("<int:pk>/delete/", views.check_in_delete, name="delete"),
    path("reminders/", views.reminder_preferences, name="reminders"),
    path("act/<str:token>/", views.one_click_action, name="action"),
]
