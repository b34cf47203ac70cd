from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from safeops.api import api
from safeops.core import health, metrics
from safeops.home import views as home_views
from safeops.scenarios import views as scenario_views
from safeops.schools import views as school_views
from safeops.staff import views as staff_views
from safeops.zones import views as zone_views

urlpatterns = [
    path("", home_views.home_view, name="home"),
    path("healthz", health.healthz_view, name="health"),
    path("readyz", health.readyz_view, name="ready"),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the staff pages' switch
    path("metrics", metrics.metrics_view, name="metrics"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("schools/", school_views.school_list_view, name="school-list"),
    path("schools/<int:school_id>/", school_views.school_detail_view, name="school-detail"),
    path("map/", school_views.school_map_view, name="school-map"),
    path("map/layers.json", school_views.map_layers_view, name="map-layers"),
    path("zones/", zone_views.zone_list_view, name="zone-list"),
    path("zones/<int:zone_id>/", zone_views.zone_detail_view, name="zone-detail"),
    path("staff/", staff_views.assignment_list_view, name="assignment-list"),
    path("planning/", scenario_views.scenario_list_view, name="scenario-list"),
    path("planning/compare/", scenario_views.scenario_compare_view, name="scenario-compare"),
    path("planning/costs/", scenario_views.planning_costs_view, name="planning-costs"),
    path(
        "planning/compare/layers.json", scenario_views.scenario_layers_view, name="scenario-layers"
    ),
    path(
        "planning/<int:scenario_id>/", scenario_views.scenario_detail_view, name="scenario-detail"
    ),
    path(
        "planning/<int:scenario_id>/adopt/",
        scenario_views.scenario_adopt_view,
        name="scenario-adopt",
    ),
    path("notify/", include("safeops.core.notify.urls")),
    path("dispatch/", include("safeops.dispatch.urls")),
    path("drills/", include("safeops.drills.urls")),
    path("plans/", include("safeops.safetyplans.urls")),
    path("facilities/", include("safeops.facilities.urls")),
    path("incidents/", include("safeops.incidents.urls")),
    path("resources/", include("safeops.resources.urls")),
    path("training/", include("safeops.training.urls")),
    path("referrals/", include("safeops.referrals.urls")),
    path("sso-reports/", include("safeops.ssoreports.urls")),
    path("patrol/", include("safeops.patrol.urls")),
    path("roster/", include("safeops.roster.urls")),
    path("fleet/", include("safeops.fleet.urls")),
    path("accountability/", include("safeops.reports.urls_accountability")),
    path("tips/", include("safeops.threats.public_urls")),
    path("dashboard/", include("safeops.reports.public_urls")),
    path("threats/", include("safeops.threats.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]

# The static error page: no database, no session, no context processors.
handler500 = "safeops.core.middleware.server_error_view"
