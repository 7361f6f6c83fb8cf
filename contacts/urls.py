from django.urls import path

from contacts import views

app_name = "contacts"
# The list and a supporter's page show check-ins too: dashboard/supporter_pages.py adds them to this
# namespace (supportnet/urls.py).
urlpatterns = [
    path("new/", views.supporter_add, name="add"),
    path("rhythms/", views.rhythm_defaults, name="rhythm_defaults"),
    path("<int:pk>/edit/", views.supporter_edit, name="edit"),
    path("<int:pk>/archive/", views.supporter_archive, name="archive"),
    path("<int:pk>/unarchive/", views.supporter_unarchive, name="unarchive"),
    path("<int:pk>/delete/", views.supporter_delete, name="delete"),
]
