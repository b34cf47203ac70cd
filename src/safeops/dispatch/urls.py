from django.urls import path

from safeops.dispatch import views

urlpatterns = [
    path("", views.dispatch_home_view, name="dispatch-home"),
    path("requests/new/", views.request_new_view, name="dispatch-request-new"),
    path("requests/<int:request_id>/", views.request_detail_view, name="dispatch-request-detail"),
    path("requests/<int:request_id>/live/", views.request_live_view, name="dispatch-request-live"),
    path(
        "requests/<int:request_id>/assign/",
        views.request_assign_view,
        name="dispatch-request-assign",
    ),
    path(
        "requests/<int:request_id>/transition/",
        views.request_transition_view,
        name="dispatch-request-transition",
    ),
    path("board/", views.board_view, name="dispatch-board"),
    path("board/state.json", views.board_state_view, name="dispatch-board-state"),
    path("board/requests/", views.board_requests_view, name="dispatch-board-requests"),
    path("board/alerts/", views.board_view, name="dispatch-board-alerts"),
    path(
        "board/alerts/<int:alert_id>/acknowledge/",
        views.board_alert_view,
        {"action": "acknowledge"},
        name="dispatch-alert-acknowledge",
    ),
    path(
        "board/alerts/<int:alert_id>/resolve/",
        views.board_alert_view,
        {"action": "resolve"},
        name="dispatch-alert-resolve",
    ),
    path("officer/", views.officer_view, name="dispatch-officer"),
    path(
        "officer/manifest.webmanifest",
        views.officer_manifest_view,
        name="dispatch-officer-manifest",
    ),
    path("officer/cards/", views.officer_cards_view, name="dispatch-officer-cards"),
    path("officer/sw.js", views.officer_service_worker_view, name="dispatch-officer-sw"),
    path("history/", views.history_view, name="dispatch-history"),
    path("history.csv", views.history_csv_view, name="dispatch-history-csv"),
]
