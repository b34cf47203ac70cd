from django.urls import path

from safeops.patrol import setup_views, views

urlpatterns = [
    path("", views.officer_view, name="patrol-officer"),
    path("sw.js", views.officer_service_worker_view, name="patrol-sw"),
    path("coverage/", views.coverage_view, name="patrol-coverage"),
    path("coverage.csv", views.coverage_csv_view, name="patrol-coverage-csv"),
    path("generate/", views.generate_view, name="patrol-generate"),
    path("plans/<int:plan_id>/absorb/", views.absorb_view, name="patrol-absorb"),
    path("settings/", setup_views.settings_view, name="patrol-settings"),
    path("settings/bells/", setup_views.bells_view, name="patrol-bells"),
    path("settings/points/", setup_views.points_view, name="patrol-points"),
]
