from django.urls import path

from safeops.resources import views

urlpatterns = [
    path("", views.search_view, name="resource-search"),
    path("stale/", views.stale_view, name="resource-stale"),
    path("<int:service_id>/", views.service_detail_view, name="resource-detail"),
    path("<int:service_id>/verify/", views.service_verify_view, name="resource-verify"),
    path(
        "organizations/<int:organization_id>/verify/",
        views.organization_verify_view,
        name="resource-organization-verify",
    ),
]
