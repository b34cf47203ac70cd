from django.urls import path

from safeops.incidents import views

urlpatterns = [
    path("", views.incident_list_view, name="incident-list"),
    path("new/", views.incident_create_view, name="incident-create"),
    path("<int:incident_id>/", views.incident_detail_view, name="incident-detail"),
    path("<int:incident_id>/follow-up/", views.incident_follow_up_view, name="incident-follow-up"),
]
