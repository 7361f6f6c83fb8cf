from django.urls import path

from contacts import views

app_name = "contacts"
urlpatterns = [
    path("", views.supporter_list, name="list"),
    path("new/", views.supporter_add, name="add"),
    path("rhythms/", views.rhythm_defaults, name="rhythm_defaults"),
    path("<int:pk>/", views.supporter_detail, name="detail"),
    path("<int:pk>/edit/", views.supporter_edit, name="edit"),
    path("<int:pk>/archive/", views.supporter_archive, name="archive"),
    path("<int:pk>/unarchive/", views.supporter_unarchive, name="unarchive"),
    path("<int:pk>/delete/", views.supporter_delete, name="delete"),
]
