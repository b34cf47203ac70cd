from django.urls import path

from safeops.threats.views import tipline

# Mounted at /tips/: the public, anonymous tip line.
urlpatterns = [
    path("", tipline.tip_submit_view, name="tip-submit"),
    path("status/", tipline.tip_status_view, name="tip-status"),
    path("status/answer/", tipline.tip_answer_view, name="tip-answer"),
]
