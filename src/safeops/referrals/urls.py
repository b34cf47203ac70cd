from django.urls import path

from safeops.referrals import views

urlpatterns = [
    path("", views.referral_list_view, name="referral-list"),
    path("new/", views.referral_create_view, name="referral-create"),
    path("<int:referral_id>/", views.referral_detail_view, name="referral-detail"),
    path("<int:referral_id>/status/", views.referral_transition_view, name="referral-transition"),
    path(
        "<int:referral_id>/provider-link/",
        views.referral_provider_link_view,
        name="referral-provider-link",
    ),
    path("provider/<str:token>/", views.provider_view, name="referral-provider"),
    path("onboarding/", views.onboarding_view, name="referral-onboarding"),
    path("onboarding/team/", views.onboarding_team_view, name="referral-onboarding-team"),
    path("stats/", views.referral_stats_view, name="referral-stats"),
]
