from django.urls import path

from safeops.drills import views

urlpatterns = [
    path("", views.drill_dashboard_view, name="drill-dashboard"),
    path("calendar/", views.drill_calendar_view, name="drill-calendar"),
    path("schools/<int:school_id>/", views.drill_school_view, name="drill-school"),
    path("schools/<int:school_id>/log/", views.drill_log_view, name="drill-log"),
    path(
        "actions/<int:action_id>/done/",
        views.corrective_action_done_view,
        name="drill-action-done",
    ),
    path("report/<int:year_id>/", views.verification_report_view, name="drill-report"),
    path("report/<int:year_id>.csv", views.verification_report_csv_view, name="drill-report-csv"),
    path("feed/<str:token>/<int:school_id>.ics", views.drill_feed_view, name="drill-feed"),
]
