"""A URLconf whose one view fails, for the 500-page test."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def boom_view(request: HttpRequest, token: str = "") -> HttpResponse:
    raise RuntimeError("an unexpected failure")


urlpatterns = [
    path("boom/", boom_view),
    path("referrals/provider/<str:token>/", boom_view),
]
handler500 = "safeops.core.middleware.server_error_view"
