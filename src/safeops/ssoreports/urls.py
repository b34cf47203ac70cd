from django.urls import path

from safeops.ssoreports import views

urlpatterns = [
    path("", views.report_list_view, name="ssoreport-list"),
    path("<int:report_id>/", views.report_detail_view, name="ssoreport-detail"),
    path("requests/<int:request_id>/", views.after_call_view, name="ssoreport-after-call"),
    path("requests/<int:request_id>/report/", views.report_save_view, name="ssoreport-save"),
    path(
        "requests/<int:request_id>/handoffs/<str:kind>/",
        views.handoff_view,
        name="ssoreport-handoff",
    ),
    path("handoffs/", views.handoff_list_view, name="ssoreport-handoffs"),
]
