from django.urls import path

from benchdata import views

app_name = "benchdata"
urlpatterns = [
    path("floor", views.floor, name="floor"),
]
