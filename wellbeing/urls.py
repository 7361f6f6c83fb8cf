from django.urls import path

from wellbeing import views

app_name = "wellbeing"
urlpatterns = [
    path("plan/", views.plan, name="plan"),
    path("plan/edit/", views.plan_edit, name="plan_edit"),
    path("plan/told/<int:plan_person_id>/", views.plan_told, name="plan_told"),
    path("plan/my-crisis-plan.txt", views.plan_text, name="plan_text"),
    path("plan/my-crisis-plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("self-check/", views.self_check, name="self_check"),
    path("self-check/take/", views.self_check_take, name="self_check_take"),
]
