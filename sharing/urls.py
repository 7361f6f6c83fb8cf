from django.urls import path

from sharing import views

app_name = "sharing"
urlpatterns = [
    path("my-people/", views.home, name="home"),
    path("my-people/invite/", views.invite, name="invite"),
    path("my-people/<int:consent_id>/share-plan/", views.share_plan, name="share_plan"),
    path("my-people/<int:consent_id>/stop-sharing/", views.stop_sharing, name="stop_sharing"),
    path("ask/", views.ask, name="ask"),
    path("ask/<int:ask_id>/", views.ask_sent, name="ask_sent"),
    path("helping/<str:token>/", views.consent, name="consent"),
    path("shared-with-me/", views.shared_with_me, name="shared_with_me"),
    path("shared-with-me/<int:share_id>/", views.shared_plan, name="shared_plan"),
]
