from django.urls import path

from safeops.threats import views

# Mounted at /threats/: the threat team's pages.
urlpatterns = [
    path("", views.dashboard_view, name="threats-home"),
    path("tips/<int:tip_id>/", views.tip_detail_view, name="threats-tip"),
    path("tips/<int:tip_id>/<slug:action>/", views.tip_action_view, name="threats-tip-action"),
    path("attachments/<int:attachment_id>/", views.attachment_view, name="threats-attachment"),
    path("cases/new/", views.case_open_view, name="threats-case-open"),
    path("cases/<int:case_id>/", views.case_detail_view, name="threats-case"),
    path("cases/<int:case_id>/<slug:action>/", views.case_action_view, name="threats-case-action"),
    path("teams/", views.teams_view, name="threats-teams"),
    path("teams/add/", views.team_add_view, name="threats-team-add"),
    path("teams/<int:member_id>/end/", views.team_end_view, name="threats-team-end"),
    path("fairness/", views.fairness_view, name="threats-fairness"),
    path("audit/", views.audit_view, name="threats-audit"),
]
