from django.urls import path

from safeops.reports import views

# Mounted at /dashboard/: the public accountability dashboard (no login).
urlpatterns = [
    path("", views.dashboard_view, name="public-dashboard"),
    path("dictionary/", views.dictionary_view, name="public-dashboard-dictionary"),
    path(
        "download.<str:extension>",
        views.download_view,
        name="public-dashboard-download",
    ),
]
