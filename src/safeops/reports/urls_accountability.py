from django.urls import path

from safeops.reports import views_board, views_kentucky

urlpatterns = [
    path("", views_board.accountability_home_view, name="accountability"),
    path("board/", views_board.board_report_view, name="board-report"),
    path("board/board-report.pdf", views_board.board_pdf_view, name="board-report-pdf"),
    path("monitoring/", views_board.monitoring_view, name="monitoring"),
    path(
        "monitoring/zones/<int:zone_id>/", views_board.monitoring_zone_view, name="monitoring-zone"
    ),
    path("internal/", views_board.unsuppressed_view, name="report-unsuppressed"),
    path("kentucky/sro/", views_kentucky.sro_report_view, name="kentucky-sro"),
    path("kentucky/sro.csv", views_kentucky.sro_csv_view, name="kentucky-sro-csv"),
    path("kentucky/campuses/", views_kentucky.campus_report_view, name="kentucky-campuses"),
    path("kentucky/campuses.csv", views_kentucky.campus_csv_view, name="kentucky-campuses-csv"),
]
