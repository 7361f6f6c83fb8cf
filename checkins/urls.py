app_name = "checkins"
urlpatterns = []
