from django.urls import path

from safeops.threats.views import cases, teams, tipdesk

# Mounted at /threats/: the threat team's pages.
urlpatterns = [
    path("", tipdesk.dashboard_view, name="threats-home"),
    path("tips/<int:tip_id>/", tipdesk.tip_detail_view, name="threats-tip"),
    path("tips/<int:tip_id>/<slug:action>/", tipdesk.tip_action_view, name="threats-tip-action"),
    path("attachments/<int:attachment_id>/", tipdesk.attachment_view, name="threats-attachment"),
    path("cases/new/", cases.case_open_view, name="threats-case-open"),
    path("cases/<int:case_id>/", cases.case_detail_view, name="threats-case"),
    path("cases/<int:case_id>/<slug:action>/", cases.case_action_view, name="threats-case-action"),
    path("teams/", teams.teams_view, name="threats-teams"),
    path("teams/add/", teams.team_add_view, name="threats-team-add"),
    path("teams/<int:member_id>/end/", teams.team_end_view, name="threats-team-end"),
    path("fairness/", teams.fairness_view, name="threats-fairness"),
    path("audit/", teams.audit_view, name="threats-audit"),
]
