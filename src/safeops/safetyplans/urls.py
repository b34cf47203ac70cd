from django.urls import path

from safeops.safetyplans import views

urlpatterns = [
    path("", views.plan_list_view, name="plan-list"),
    path("<int:plan_id>/", views.plan_detail_view, name="plan-detail"),
    path("<int:plan_id>/edit/", views.plan_edit_view, name="plan-edit"),
    path("<int:plan_id>/compare/", views.plan_compare_view, name="plan-compare"),
    # Before the transition route: its <str:transition> would otherwise catch "files".
    path("<int:plan_id>/files/", views.plan_attachment_add_view, name="plan-attachment-add"),
    path("<int:plan_id>/steps/<str:step>/", views.plan_step_view, name="plan-step"),
    path(
        "<int:plan_id>/<str:transition>/",
        views.plan_transition_view,
        name="plan-transition",
    ),
    path("files/<int:attachment_id>/", views.plan_attachment_view, name="plan-attachment"),
]
