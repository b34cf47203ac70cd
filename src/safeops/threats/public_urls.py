from django.urls import path

from safeops.threats import views

# Mounted at /tips/: the public, anonymous tip line.
urlpatterns = [
    path("", views.tip_submit_view, name="tip-submit"),
    path("status/", views.tip_status_view, name="tip-status"),
    path("status/answer/", views.tip_answer_view, name="tip-answer"),
]
